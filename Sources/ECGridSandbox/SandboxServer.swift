import ECGridKit
import ECGridTransport
import Foundation
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
        let ready = ReadySignal()
        let identity = configuration.tls ? try configuration.identity ?? SandboxTLSIdentity.shared.get() : nil
        let connections = ConnectionCount()
        let app = try application(
            store: store, injector: injector, address: .hostname(configuration.host, port: configuration.port),
            identity: identity, connections: connections,
            onServerRunning: { channel in ready.resolve(.success(channel.localAddress?.port ?? 0)) })
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

    /// The sandbox as a Hummingbird application on `store`, not yet running, for the tests'
    /// HummingbirdTesting: `.router` answers in-process, no network; `PUT /sandbox/faults`
    /// switches its faults. (`.live` is left aside: its ServiceGroup handles SIGINT and SIGTERM
    /// for the whole test process while it runs. The wire tests use `start`, over HTTPS as
    /// production.)
    package static func application(store: SandboxStore, faults: FaultSettings = FaultSettings()) throws -> some ApplicationProtocol {
        try application(
            store: store, injector: FaultInjector(faults), address: .hostname("127.0.0.1", port: 0), identity: nil,
            connections: ConnectionCount(), onServerRunning: { _ in })
    }

    /// The application `start` runs: the sandbox's router, served over HTTP/1.1 (in TLS with
    /// `identity`), with `ConnectionFaultHandler` in every connection for the faults that live
    /// below HTTP.
    static func application(
        store: SandboxStore, injector: FaultInjector, address: BindAddress, identity: SandboxTLSIdentity?,
        connections: ConnectionCount, onServerRunning: @escaping @Sendable (any Channel) async -> Void
    ) throws -> some ApplicationProtocol {
        var logger = Logger(label: "ecgrid.sandbox")
        logger.logLevel = .critical
        let http1 = HTTPServerBuilder.http1(
            configuration: .init(additionalChannelHandlers: [ConnectionFaultHandler(counting: connections)]))
        let server = try identity.map { try HTTPServerBuilder.tls(http1, tlsConfiguration: try $0.serverConfiguration()) } ?? http1
        return Application(
            router: SandboxRoutes.router(store: store, injector: injector), server: server,
            configuration: .init(address: address, serverName: nil), onServerRunning: onServerRunning, logger: logger)
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
}

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
