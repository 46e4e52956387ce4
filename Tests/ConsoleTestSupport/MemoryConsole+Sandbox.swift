import ECGridKit
import ECGridTransport
import ECGridSandbox
import Foundation

/// A `MemoryConsole` on a fresh HTTPS sandbox (its CA trusted), recording into a history of its
/// own; the console, its transport and the sandbox are stopped afterwards, also when `body`
/// throws.
package func withMemoryConsole<T>(
    users: Int = 300, _ body: (SandboxServer, MemoryConsole) async throws -> T
) async throws -> T {
    try await withSandboxServer(users: users) { server in
        let directory = NSTemporaryDirectory() + "ecgrid-memory-console-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let transport = AsyncHTTPTransport(trust: server.trustedCA)
        let console = MemoryConsole(
            client: try await server.operatorClient(transport: transport), history: directory + "/history.jsonl")
        do {
            let result = try await body(server, console)
            await console.stop()
            await transport.shutdown()
            return result
        } catch {
            await console.stop()
            await transport.shutdown()
            throw error
        }
    }
}
