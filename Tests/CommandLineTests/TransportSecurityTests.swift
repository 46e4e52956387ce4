import ConsoleTestSupport
import Crypto
import ECGridKit
import ECGridTransport
import Foundation
import Hummingbird
import Synchronization
import HummingbirdTLS
import Testing
import X509

/// An HTTPS server on loopback with the TLS set-up a test gives it, answering the few calls the
/// client makes first and counting every request that gets through to it.
struct CountingHTTPSServer {
    let port: Int
    let requests: AttemptCounter
    private let task: Task<Void, any Error>

    var url: String { "https://127.0.0.1:\(port)" }

    /// A certificate nobody trusts (self-signed, made for the test).
    static func untrusted() async throws -> CountingHTTPSServer {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("ecgrid-test self-signed") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 3600, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(), issuerPrivateKey: Certificate.PrivateKey(key))
        return try await start(tls: TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(try certificate.serializeAsPEM().pemString.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem))))
    }

    static func start(tls: TLSConfiguration) async throws -> CountingHTTPSServer {
        let requests = AttemptCounter()
        let router = Router()
        router.get("/v2/users/me") { _, _ -> String in
            requests.increment()
            return #"{"success": true, "data": {"userId": 1, "login": "x"}}"#
        }
        router.post("/v2/users/list") { _, _ -> String in
            requests.increment()
            return #"{"success": true, "data": []}"#
        }
        router.post("/v2/users/reset/{id}") { _, _ -> String in
            requests.increment()
            return #"{"success": true, "data": true}"#
        }
        let ready = PortPromise()
        let app = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in ready.fulfil(channel.localAddress?.port ?? 0) })
        let task = Task { try await app.runService() }
        return CountingHTTPSServer(port: try await ready.value(), requests: requests, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// The port a server reports once it listens.
final class PortPromise: Sendable {
    private let state = Mutex<(port: Int?, waiter: CheckedContinuation<Int, Never>?)>((nil, nil))

    func fulfil(_ port: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, Never>? in
            state.port = port
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: port)
    }

    func value() async throws -> Int {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> Int? in
                if state.port == nil { state.waiter = continuation }
                return state.port
            }
            if let known { continuation.resume(returning: known) }
        }
    }
}

@Suite("Reliability: transport security")
struct TransportSecurityTests {
    @Test("a self-signed certificate on loopback is refused by default and explained: client, command line and console")
    func untrustedCertificate() async throws {
        var figures = ReliabilityFigures("transport security")
        let server = try await CountingHTTPSServer.untrusted()
        let transport = AsyncHTTPTransport()
        do {
            let client = ECGridClient(baseURL: try BaseURL(server.url), transport: transport,
                                      credentials: StaticCredential(.apiKey(Secret("sbx_tls_test_key"))), timeout: .seconds(10))
            var problems: [String] = []
            do {
                _ = try await client.me()
                problems.append("the client accepted an untrusted certificate")
            } catch let error as ECGridError {
                if error.kind != .tlsFailure { problems.append("client error \(error.kind), expected tlsFailure: \(error)") }
                if !error.explanation.contains("certificate is not trusted") { problems.append("explanation: \(error.explanation)") }
                if error.attempts != 1 { problems.append("a TLS failure was tried \(error.attempts) times") }
            }
            figures.record("client", problems: problems)

            let run = try await CLI.run(["whoami", "--base-url", server.url], environment: ["ECGRID_API_KEY": "sbx_tls_test_key"])
            figures.record("command line", problems: (run.status == 1 ? [] : ["exit \(run.status)"])
                + (run.stderr.contains("TLS handshake failed") ? [] : ["stderr: \(run.stderr)"]))

            let directory = NSTemporaryDirectory() + "ecgrid-tls-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let console = MemoryConsole(client: client, history: directory + "/history.jsonl")
            try await console.waitForLoad()
            var consoleProblems: [String] = []
            if case .failed(let failure) = console.state.load {
                if !failure.explanation.contains("TLS handshake failed") { consoleProblems.append("console says \(failure.explanation)") }
            } else {
                consoleProblems.append("the console loaded users over an untrusted certificate")
            }
            if !console.screen.contains("Could not load users: The TLS handshake failed") { consoleProblems.append("not on screen") }
            await console.stop()
            figures.record("console", problems: consoleProblems)
            figures.record("server", problems: server.requests.count == 0 ? [] : ["\(server.requests.count) request(s) got through"])
        } catch {
            Issue.record(error)
        }
        await transport.shutdown()
        await server.stop()
        figures.report()
    }

    @Test("plain http:// to a host that is not loopback is refused before anything is sent")
    func plainHTTPElsewhere() async throws {
        // Inside a network namespace of its own when possible, so not even a packet could leave.
        let prefix = await networkNamespaceAvailable() ? ["/usr/bin/unshare", "-n", "--"] : []
        for url in ["http://10.20.30.40:8026", "http://rest.ecgrid.io", "http://[2001:db8::1]:80"] {
            let run = try await CLI.runCommand(prefix + [CLI.binary.path, "users", "list", "--base-url", url],
                                               environment: ["ECGRID_API_KEY": "sbx_http_test_key"], input: "")
            #expect(run.status == 2, "\(url): \(run.stderr)")
            #expect(run.stderr.contains("Plain http:// is allowed only to loopback"), "\(url): \(run.stderr)")
        }
    }
}
