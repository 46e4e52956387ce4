import ECGridKit
import ECGridTransport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import Synchronization

/// How to start a sandbox.
public struct SandboxConfiguration: Sendable {
    /// Loopback address to listen on.
    public var host: String
    /// Port, 0 for any free one.
    public var port: Int
    /// Users in all (the three well-known accounts included), at most 100,000.
    public var userCount: Int
    public var seed: UInt64
    /// Lifetime of a bearer token.
    public var tokenLifetime: TimeInterval
    /// Open some sessions at start so counts are not all zero.
    public var initialSessions: Bool
    /// Log in a random user this often (nil: never), so counts move like a live system.
    public var activityInterval: Duration?
    public var faults: FaultSettings
    /// Serve HTTPS with a throwaway CA (the default, as production), or plain HTTP (loopback only).
    public var tls: Bool
    /// The CA and certificate for HTTPS (nil: the process's `SandboxTLSIdentity.shared`).
    public var identity: SandboxTLSIdentity?

    public init(
        host: String = "127.0.0.1", port: Int = 0, userCount: Int = 300, seed: UInt64 = 20_261_124,
        tokenLifetime: TimeInterval = 900, initialSessions: Bool = true, activityInterval: Duration? = nil,
        faults: FaultSettings = FaultSettings(), tls: Bool = true, identity: SandboxTLSIdentity? = nil
    ) {
        self.host = host
        self.port = port
        self.userCount = userCount
        self.seed = seed
        self.tokenLifetime = tokenLifetime
        self.initialSessions = initialSessions
        self.activityInterval = activityInterval
        self.faults = faults
        self.tls = tls
        self.identity = identity
    }
}

/// A running sandbox: a real HTTPS (or, on request, plain HTTP) server on loopback that speaks
/// the documented ECGrid API.
///
/// Besides the API, it answers `GET /sandbox/faults` and `PUT /sandbox/faults` (a
/// `FaultSettings` JSON body) so faults can be switched while it runs.
public final class SandboxServer: Sendable {
    public let store: SandboxStore
    private let injector: FaultInjector
    public let port: Int
    public let host: String
    private let task: Task<Void, any Error>
    private let activity: Task<Void, Never>?
    /// The throwaway CA and certificate, when the sandbox speaks HTTPS.
    public let identity: SandboxTLSIdentity?
    /// The connections accepted so far (TCP, whether or not TLS then succeeded).
    public let connections: ConnectionCount

    /// The base URL to give a client.
    public var baseURL: String {
        "\(identity == nil ? "http" : "https")://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// The CA a client must trust to reach this sandbox over HTTPS (nil for plain HTTP).
    public let trustedCA: TrustedCA?

    /// The header that tells `ConnectionFaultHandler` which connection fault to carry out.
    static let faultMarker = HTTPField.Name("x-ecgrid-sandbox-fault")

    private init(
        store: SandboxStore, injector: FaultInjector, host: String, port: Int, task: Task<Void, any Error>,
        activity: Task<Void, Never>?, identity: SandboxTLSIdentity?, connections: ConnectionCount
    ) {
        self.connections = connections
        self.store = store
        self.injector = injector
        self.host = host
        self.port = port
        self.task = task
        self.activity = activity
        self.identity = identity
        trustedCA = identity.flatMap { try? TrustedCA(pem: Array($0.caPEM.utf8), source: "the sandbox's CA") }
    }

    /// A client for this sandbox with the demo operator's key, over `transport` (which trusts
    /// `trustedCA` when the sandbox speaks HTTPS).
    public func operatorClient(transport: any HTTPTransport, timeout: Duration = .seconds(30)) async throws -> ECGridClient {
        ECGridClient(
            baseURL: try BaseURL(baseURL), transport: transport,
            credentials: StaticCredential(.apiKey(Secret(await operatorKey()))), timeout: timeout)
    }

    /// Writes the CA certificate (PEM, not secret) into a file for `ECGRID_CA_FILE`.
    public func writeCA(to path: String) throws {
        guard let identity else { return }
        try Data(identity.caPEM.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Starts a sandbox and returns once it accepts connections.
    public static func start(_ configuration: SandboxConfiguration = SandboxConfiguration()) async throws -> SandboxServer {
        let store = await SandboxStore(
            userCount: configuration.userCount, seed: configuration.seed, tokenLifetime: configuration.tokenLifetime,
            initialSessions: configuration.initialSessions)
        let injector = FaultInjector(configuration.faults)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await respond(to: request, store: store, injector: injector)
        }
        var logger = Logger(label: "ecgrid.sandbox")
        logger.logLevel = .critical
        let ready = ReadySignal()
        let identity = configuration.tls ? try configuration.identity ?? SandboxTLSIdentity.shared.get() : nil
        let connections = ConnectionCount()
        let http1 = HTTPServerBuilder.http1(
            configuration: .init(additionalChannelHandlers: [ConnectionFaultHandler(counting: connections)]))
        let server = try identity.map { try HTTPServerBuilder.tls(http1, tlsConfiguration: try $0.serverConfiguration()) } ?? http1
        let app = Application(
            responder: responder, server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in ready.resolve(.success(channel.localAddress?.port ?? 0)) },
            logger: logger)
        let task = Task {
            do {
                try await app.run()
            } catch {
                ready.resolve(.failure(error))
                throw error
            }
        }
        let port = try await ready.value()
        var activity: Task<Void, Never>?
        if let interval = configuration.activityInterval {
            activity = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    await store.simulateActivity()
                }
            }
        }
        return SandboxServer(
            store: store, injector: injector, host: configuration.host, port: port, task: task, activity: activity,
            identity: identity, connections: connections)
    }

    /// Stops the server and waits until it has.
    public func stop() async {
        activity?.cancel()
        task.cancel()
        _ = try? await task.value
    }

    /// Replaces every fault switch.
    public func setFaults(_ settings: FaultSettings) async { await injector.replace(settings) }

    /// The fault switches now.
    public func faults() async -> FaultSettings { await injector.settings }

    /// The demo operator's API key.
    public func operatorKey() async -> String { await store.apiKey(of: SandboxAccounts.operatorID) ?? "" }

    static func respond(to request: Request, store: SandboxStore, injector: FaultInjector) async throws -> Response {
        var request = request
        let path = request.uri.path
        let body = try await request.collectBody(upTo: 1 << 20)
        let bytes = Array(body.readableBytesView)
        if path == "/sandbox/faults" {
            return await control(request.method.rawValue, bytes, injector)
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let decision = await injector.decide(method: request.method.rawValue, path: path)
        if decision.latency > .zero { try? await Task.sleep(for: decision.latency) }
        if decision.fault == .canned {
            await store.record(request.method.rawValue, path, decision.cannedStatus)
            return make(SandboxReply(status: decision.cannedStatus, body: decision.cannedBody))
        }
        if let fault = decision.fault, fault.refusesBeforeActing {
            await store.record(request.method.rawValue, path, Int(fault.rawValue) ?? 500)
            let status = Int(fault.rawValue) ?? 500
            let reply = status == 429
                ? SandboxReply.fail(429, "RateLimitExceeded", "Too many requests.")
                : SandboxReply.fail(status, "InternalError", status == 503 ? "Service unavailable." : "Internal error.")
            var response = make(reply)
            if status == 429 { response.headers[.retryAfter] = String(decision.retryAfter) }
            return response
        }
        let reply = await store.handle(
            SandboxRequest(method: request.method.rawValue, path: path, headers: headers, body: bytes))
        guard let fault = decision.fault else { return make(reply) }
        return await answer(reply, spoiledBy: fault, decision)
    }

    /// The answer of a request the store acted on, spoiled as `fault` says (the faults that
    /// refuse before acting are answered before the store sees the request).
    static func answer(_ reply: SandboxReply, spoiledBy fault: FaultKind, _ decision: FaultDecision) async -> Response {
        switch fault {
        case .malformed:
            return make(SandboxReply(status: reply.status, body: Array(#"{"success": true, "data": [{"userId": 4"#.utf8)))
        case .html:
            var response = make(SandboxReply(
                status: 502, body: Array("<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>".utf8)))
            response.headers[.contentType] = "text/html"
            return response
        case .empty:
            return make(SandboxReply(status: 200, body: []))
        case .oversized:
            let filler = String(repeating: "x", count: 20 << 20)
            return make(SandboxReply.ok(filler))
        case .drop, .dropMidBody:
            let full = reply.body
            let sent = fault == .drop ? 0 : full.count / 2
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.contentLength] = String(full.count)
            return Response(
                status: .init(code: reply.status), headers: headers,
                body: ResponseBody(contentLength: full.count) { writer in
                    if sent > 0 { try await writer.write(ByteBuffer(bytes: full.prefix(sent))) }
                    throw SandboxDroppedConnection()
                })
        case .closeNoNotify, .brokenRecord, .resetAfterRequest:
            var response = make(reply)
            if let marker = faultMarker { response.headers[marker] = fault.rawValue }
            return response
        case .stallAfterRequest:
            try? await Task.sleep(for: decision.stall)
            return make(reply)
        case .rateLimited, .serverError, .unavailable, .slow, .canned:
            return make(reply)
        }
    }

    static func make(_ reply: SandboxReply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    static func control(_ method: String, _ body: [UInt8], _ injector: FaultInjector) async -> Response {
        if method == "PUT" || method == "POST" {
            let unknown = FaultSettings.unknownFields(in: body)
            guard unknown.isEmpty else {
                return make(.fail(400, "InvalidParameter", "Unknown field(s): \(unknown.joined(separator: ", ")). "
                    + "A rule knows: \(FaultSettings.knownRuleFields.sorted().joined(separator: ", "))."))
            }
            guard let settings = try? JSONDecoder().decode(FaultSettings.self, from: Data(body)) else {
                return make(.fail(400, "InvalidParameter", "Body must be FaultSettings JSON."))
            }
            await injector.replace(settings)
        }
        return make(.ok(await injector.settings))
    }
}

/// Thrown inside a response body to cut the connection (the `drop` faults).
struct SandboxDroppedConnection: Error {}

/// A one-shot value the server task hands to `start`.
final class ReadySignal: Sendable {
    private let state = Mutex<(result: Result<Int, any Error>?, waiter: CheckedContinuation<Int, any Error>?)>((nil, nil))

    func resolve(_ result: Result<Int, any Error>) {
        let waiter: CheckedContinuation<Int, any Error>? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Int, any Error>? = state.withLock { state in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
