import ConsoleTestSupport
import ECGridKit
import ECGridTransport
import ECGridSandbox
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Faults: error mapping and retries over real HTTP")
struct FaultTests {
    func rule(_ kind: FaultKind, _ prefix: String, count: Int = 1, retryAfter: Int? = nil) -> FaultSettings {
        FaultSettings(rules: [FaultRule(kind: kind, pathPrefix: prefix, count: count, retryAfter: retryAfter)])
    }

    @Test("503 on a read is retried with backoff and then succeeds; each retry is reported")
    func retriedRead() async throws {
        try await withSandbox(faults: rule(.unavailable, "/v2/users/me", count: 2)) { _, client in
            var client = client
            let retries = Recorder<RetryEvent>()
            client.onRetry = { retries.append($0) }
            let me = try await client.me()
            #expect(me.exchange.attempts == 3)
            #expect(retries.all.map(\.reason) == ["HTTP 503 InternalError", "HTTP 503 InternalError"])
            #expect(retries.all.map(\.attempt) == [1, 2])
        }
    }

    @Test("500 three times: the read gives up after 3 tries and says the server failed")
    func givesUp() async throws {
        try await withSandbox(faults: rule(.serverError, "/v2/users/me", count: 5)) { server, client in
            let error = await expectECGridError { _ = try await client.me() }
            #expect(error?.kind == .api)
            #expect(error?.httpStatus == 500)
            #expect(error?.attempts == 3)
            #expect(error?.explanation.contains("server failed") == true)
            #expect(await server.store.count(method: "GET", pathPrefix: "/v2/users/me") == 3)
        }
    }

    @Test("a reset answered 500 is not sent again")
    func stateChangeNotRepeated() async throws {
        try await withSandbox(faults: rule(.serverError, "/v2/users/reset", count: 3)) { server, client in
            let error = await expectECGridError { _ = try await client.resetSessions(userId: 40011) }
            #expect(error?.httpStatus == 500)
            #expect(error?.attempts == 1)
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 1)
        }
    }

    @Test("429 on a reset honours Retry-After and succeeds; the sandbox acted once")
    func rateLimitedReset() async throws {
        try await withSandbox(faults: rule(.rateLimited, "/v2/users/reset", count: 2, retryAfter: 2)) { server, client in
            var client = client
            let delays = Recorder<Duration>()
            client.sleep = { delays.append($0) }
            let token = try await server.store.openSession(for: 40011)
            let reset = try await client.resetSessions(userId: 40011)
            #expect(reset.value && reset.exchange.attempts == 3)
            #expect(delays.all == [.seconds(2), .seconds(2)])
            #expect(await server.store.liveSessionCount(40011) == 0)
            let asBearer = client.withCredentials(StaticCredential(.bearer(Secret(token))))
            #expect(await expectECGridError { _ = try await asBearer.me() }?.errorCode == "InvalidSession")
        }
    }

    @Test("bodies that are not envelopes map to clear cases and are not retried", arguments: [
        (FaultKind.malformed, ECGridError.Kind.malformedBody, 200),
        (.html, .unexpectedStatus, 502),
        (.empty, .emptyBody, 200),
    ])
    func badBodies(fault: FaultKind, kind: ECGridError.Kind, status: Int) async throws {
        try await withSandbox(faults: rule(fault, "/v2/users/me")) { _, client in
            let error = await expectECGridError { _ = try await client.me() }
            #expect(error?.kind == kind)
            #expect(error?.httpStatus == status)
            #expect(error?.attempts == 1)
            #expect(error?.explanation.isEmpty == false)
        }
    }

    @Test("an oversized body is refused, not read")
    func oversized() async throws {
        try await withSandbox(faults: rule(.oversized, "/v2/users/me")) { _, client in
            var client = client
            client.maxBodyBytes = 1 << 20
            #expect(await expectECGridError { _ = try await client.me() }?.kind == .bodyTooLarge)
        }
    }

    @Test("a dropped connection: a read is retried, a reset is not (and the operator is told to check)")
    func dropped() async throws {
        try await withSandbox(faults: rule(.drop, "/v2/users/")) { server, client in
            let me = try await client.me()
            #expect(me.exchange.attempts == 2)
            await server.setFaults(rule(.dropMidBody, "/v2/users/reset"))
            _ = try await server.store.openSession(for: 40011)
            let error = await expectECGridError { _ = try await client.resetSessions(userId: 40011) }
            #expect(error?.kind == .connectionDropped)
            #expect(error?.attempts == 1)
            #expect(error?.explanation.contains("may or may not") == true)
            // The sandbox acted before the connection dropped: exactly the ambiguity the operator must check.
            #expect(await server.store.liveSessionCount(40011) == 0)
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 1)
        }
    }

    @Test("no answer within the time-out is a timeout")
    func timeout() async throws {
        try await withSandbox(faults: FaultSettings(latencyMs: 2_000), timeout: .milliseconds(200)) { _, client in
            var client = client
            client.retryPolicy = RetryPolicy(maxAttempts: 2)
            let error = await expectECGridError { _ = try await client.me() }
            #expect(error?.kind == .timeout)
            #expect(error?.attempts == 2)
        }
    }

    @Test("connection refused, with nothing listening")
    func refused() async throws {
        let port = try closedPort()
        let transport = AsyncHTTPTransport()
        var client = ECGridClient(
            baseURL: try BaseURL("http://127.0.0.1:\(port)"), transport: transport,
            credentials: StaticCredential(.apiKey(Secret("k"))))
        client.sleep = { _ in }
        let error = await expectECGridError { _ = try await client.resetSessions(userId: 5) }
        await transport.shutdown()
        #expect(error?.kind == .connectionRefused)
        #expect(error?.definitelyNotSent == true)
        #expect(error?.attempts == 3)
    }

    @Test("faults switch while the sandbox runs, over HTTP too")
    func controlEndpoint() async throws {
        try await withSandbox { server, client in
            let body = Array(#"{"latencyMs": 0, "rules": [{"kind": "503", "count": 1}]}"#.utf8)
            let transport = AsyncHTTPTransport(trust: server.trustedCA)
            let answer = try await transport.send(TransportRequest(
                method: "PUT", url: server.baseURL + "/sandbox/faults", headers: [], body: body,
                timeout: .seconds(20), maxBodyBytes: 1 << 16))
            await transport.shutdown()
            #expect(answer.status == 200)
            #expect(await server.faults().rules.count == 1)
            #expect(try await client.me().exchange.attempts == 2)
            #expect(await server.faults().rules.isEmpty)
        }
    }

    @Test("a rate-limited sandbox still serves a full walk and a bulk reset, with real waits")
    func rateLimitedBulk() async throws {
        // About 47 requests against 10 a second (burst 10): far more demand than the
        // limit allows even on a slow machine, so 429s are certain and the waits real.
        try await withSandbox(users: 400, faults: FaultSettings(rateLimitPerSecond: 10)) { server, client in
            var client = client
            client.sleep = { try await Task.sleep(for: $0) }
            client.retryPolicy = RetryPolicy(maxRateLimitAttempts: 20)
            let all = try await client.allUsers(pageSize: 25, concurrency: 8)
            #expect(all.count == 400)
            let targets = all.filter { $0.userId >= 40000 && $0.authLevel?.isAtLeast(.techOps) == false }.prefix(30).map(\.userId)
            let patient = client
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for id in targets { group.addTask { try await patient.resetSessions(userId: id).value } }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.count == targets.count && results.allSatisfy { $0 })
            let limited = await server.store.requests.filter { $0.status == 429 }.count
            #expect(limited > 0)
        }
    }
}

/// A loopback port with nothing listening on it.
/// A loopback port that refuses connections: bound, never listening, and held open for the life
/// of the test process, so no server started by another test can take it meanwhile.
func closedPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}
