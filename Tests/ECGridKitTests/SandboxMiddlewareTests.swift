import ECGridKit
import ECGridSandbox
import Foundation
import HTTPTypes
import Testing

/// The faults and the request log are middlewares of the sandbox's router: these pin down what
/// each one does and in which order, in-process (`.router`). Over the wire, `FaultTests` and
/// the fault matrix drive the same middlewares through `SandboxServer.start`.
@Suite("The sandbox's middlewares: faults refuse before the store acts or spoil after it; the log records what was answered")
struct SandboxMiddlewareTests {
    static let target = 40011

    static func rule(_ kind: FaultKind, _ path: String, count: Int? = 1, retryAfter: Int? = nil, delayMs: Int? = nil, status: Int? = nil, body: [UInt8]? = nil)
        -> FaultSettings
    {
        FaultSettings(rules: [FaultRule(
            kind: kind, pathPrefix: path, count: count, retryAfter: retryAfter, delayMs: delayMs, status: status, body: body)])
    }

    @Test("500, 503 and 429 refuse before the store acts; the log records the refusal; the next request goes through",
        arguments: [(FaultKind.serverError, 500), (.unavailable, 503), (.rateLimited, 429)])
    func refusals(kind: FaultKind, status: Int) async throws {
        try await withSandboxRouter(faults: Self.rule(kind, "/v2/users/reset", retryAfter: 7)) { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            try await store.openSession(for: Self.target)
            let refused = try await client.ask(.post, "/v2/users/reset/\(Self.target)", key: key)
            #expect(refused.status == status)
            #expect(refused.errorCode == (status == 429 ? "RateLimitExceeded" : "InternalError"))
            #expect(refused.headers[.retryAfter] == (status == 429 ? "7" : nil))
            #expect(await store.liveSessionCount(Self.target) == 1, "the store acted on a refused request")
            let passed = try await client.ask(.post, "/v2/users/reset/\(Self.target)", key: key)
            #expect(passed.status == 200)
            #expect(await store.liveSessionCount(Self.target) == 0)
            #expect(await store.requests.map(\.status) == [status, 200])
        }
    }

    @Test("a canned answer is exactly its status and bytes, and the store never sees the request")
    func canned() async throws {
        let bytes: [UInt8] = [0x7B, 0xFF, 0xFE, 0x1B, 0x5B, 0x32, 0x4A]
        try await withSandboxRouter(faults: Self.rule(.canned, "/v2/users/reset", status: 418, body: bytes)) { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            try await store.openSession(for: Self.target)
            let answer = try await client.ask(.post, "/v2/users/reset/\(Self.target)", key: key)
            #expect(answer.status == 418)
            #expect(answer.bytes == bytes)
            #expect(await store.liveSessionCount(Self.target) == 1)
            #expect(await store.requests.map(\.status) == [418])
        }
    }

    @Test("malformed, html, empty: the store acted, the answer is spoiled, the log has the store's status",
        arguments: [(FaultKind.malformed, 200), (.html, 502), (.empty, 200)])
    func spoiled(kind: FaultKind, status: Int) async throws {
        try await withSandboxRouter(faults: Self.rule(kind, "/v2/users/reset")) { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            try await store.openSession(for: Self.target)
            let answer = try await client.ask(.post, "/v2/users/reset/\(Self.target)", key: key)
            #expect(answer.status == status)
            #expect((try? answer.envelope(Bool?.self)) == nil, "the answer is still an envelope: \(answer.text)")
            #expect(answer.headers[.contentLength] == String(answer.text.utf8.count))
            if kind == .html { #expect(answer.headers[.contentType] == "text/html") }
            #expect(await store.liveSessionCount(Self.target) == 0)
            #expect(await store.requests.map(\.status) == [200])
        }
    }

    @Test("drop and drop-mid-body: the store acted, the answer never completes")
    func dropped() async throws {
        for kind in [FaultKind.drop, .dropMidBody] {
            try await withSandboxRouter(faults: Self.rule(kind, "/v2/users/reset")) { store, client in
                let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
                try await store.openSession(for: Self.target)
                await #expect(throws: (any Error).self) { try await client.ask(.post, "/v2/users/reset/\(Self.target)", key: key) }
                #expect(await store.liveSessionCount(Self.target) == 0)
                #expect(await store.requests.map(\.status) == [200])
            }
        }
    }

    @Test("the connection faults mark the store's answer for ConnectionFaultHandler (which is not in the in-process path)")
    func connectionMarks() async throws {
        for kind in [FaultKind.closeNoNotify, .brokenRecord, .resetAfterRequest] {
            try await withSandboxRouter(faults: Self.rule(kind, "/v2/users/me")) { store, client in
                let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
                let answer = try await client.ask(.get, "/v2/users/me", key: key)
                #expect(answer.headers[try #require(HTTPField.Name("x-ecgrid-sandbox-fault"))] == kind.rawValue)
                #expect(try answer.data(User.self).userId == SandboxAccounts.operatorID)
            }
        }
    }

    @Test("a stalled answer is logged when the store answered, before the stall")
    func stallLoggedFirst() async throws {
        try await withSandboxRouter(faults: Self.rule(.stallAfterRequest, "/v2/users/me", delayMs: 600_000)) { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            let stalled = Task { try await client.ask(.get, "/v2/users/me", key: key) }
            let deadline = ContinuousClock.now + .seconds(30)
            while await store.requests.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(await store.requests.map(\.status) == [200])
            // Cancelling ends the stall: the held-back answer then goes out whole.
            stalled.cancel()
            #expect(try await stalled.value.status == 200)
        }
    }

    @Test("/sandbox/faults is neither faulted nor logged, so faults can always be switched off")
    func faultSwitchExempt() async throws {
        try await withSandboxRouter(faults: FaultSettings(rules: [FaultRule(kind: .unavailable)])) { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            #expect(try await client.ask(.get, "/v2/users/me", key: key).status == 503)
            let shown = try await client.ask(.get, "/sandbox/faults")
            #expect(try shown.data(FaultSettings.self).rules.map(\.kind) == [.unavailable])
            let typo = try await client.ask(.put, "/sandbox/faults", json: #"{"rules": [{"kind": "500", "path": "/v2"}]}"#)
            #expect(typo.status == 400 && typo.text.contains("rules[0].path"))
            let cleared = try await client.ask(.put, "/sandbox/faults", json: #"{"latencyMs": 0, "rules": []}"#)
            #expect(try cleared.data(FaultSettings.self) == FaultSettings())
            #expect(try await client.ask(.get, "/v2/users/me", key: key).status == 200)
            #expect(await store.requests.map(\.path) == ["/v2/users/me", "/v2/users/me"])
        }
    }
}
