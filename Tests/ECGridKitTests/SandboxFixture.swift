import ECGridKit
import ECGridSandbox
import Foundation
import Synchronization

/// Starts a real sandbox on 127.0.0.1:0, hands the test a client for it with the demo
/// operator's key, and stops both afterwards.
func withSandbox<T>(
    users: Int = 300, faults: FaultSettings = FaultSettings(), timeout: Duration = .seconds(10),
    _ body: (SandboxServer, ECGridClient) async throws -> T
) async throws -> T {
    let server = try await SandboxServer.start(SandboxConfiguration(userCount: users, faults: faults))
    let transport = AsyncHTTPTransport(trust: server.trustedCA)
    var client = try await server.operatorClient(transport: transport, timeout: timeout)
    client.sleep = { _ in }
    do {
        let result = try await body(server, client)
        await transport.shutdown()
        await server.stop()
        return result
    } catch {
        await transport.shutdown()
        await server.stop()
        throw error
    }
}

/// Collects what a test's callbacks report, across tasks.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}

extension ECGridClient {
    /// The same client with an API key.
    func with(key: String) -> ECGridClient { withCredentials(StaticCredential(.apiKey(Secret(key)))) }
}

/// Runs `body`, expecting it to throw an `ECGridError`, and returns it.
func expectECGridError(_ body: () async throws -> Void) async -> ECGridError? {
    do {
        try await body()
        return nil
    } catch let error as ECGridError {
        return error
    } catch {
        return nil
    }
}
