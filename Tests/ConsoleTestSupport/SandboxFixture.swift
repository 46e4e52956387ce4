import ECGridKit
import ECGridTransport
import ECGridSandbox
import Foundation

/// The one sandbox fixture: a real sandbox on 127.0.0.1:0 for the length of `body`, stopped
/// afterwards whatever happens.
package func withSandboxServer<T>(
    users: Int = 300, faults: FaultSettings = FaultSettings(), _ body: (SandboxServer) async throws -> T
) async throws -> T {
    let server = try await SandboxServer.start(SandboxConfiguration(userCount: users, faults: faults))
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// A sandbox and a client for it with the demo operator's key (retries do not wait), for
/// tests of the client core.
package func withSandbox<T>(
    users: Int = 300, faults: FaultSettings = FaultSettings(), timeout: Duration = .seconds(10),
    _ body: (SandboxServer, ECGridClient) async throws -> T
) async throws -> T {
    try await withSandboxServer(users: users, faults: faults) { server in
        let transport = AsyncHTTPTransport(trust: server.trustedCA)
        var client = try await server.operatorClient(transport: transport, timeout: timeout)
        client.sleep = { _ in }
        do {
            let result = try await body(server, client)
            await transport.shutdown()
            return result
        } catch {
            await transport.shutdown()
            throw error
        }
    }
}

/// A sandbox and the environment that points the built binary at it (base URL, the demo
/// operator's key, the sandbox's CA), for tests that run the binary.
package func withCLISandbox<T>(
    users: Int = 300, faults: FaultSettings = FaultSettings(), _ body: (SandboxServer, [String: String]) async throws -> T
) async throws -> T {
    try await withSandboxServer(users: users, faults: faults) { server in
        let environment = [
            "ECGRID_BASE_URL": server.baseURL, "ECGRID_API_KEY": await server.operatorKey(), "ECGRID_CA_FILE": TestCA.path,
        ]
        return try await body(server, environment)
    }
}
