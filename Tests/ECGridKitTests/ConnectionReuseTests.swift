import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Testing

@Suite("Connection reuse")
struct ConnectionReuseTests {
    @Test("sequential requests share one connection (no second TLS handshake)")
    func sequentialRequestsShareOneConnection() async throws {
        try await withSandbox { server, client in
            _ = try await client.me()
            _ = try await client.user(id: 40011)
            _ = try await client.user(id: 40012)
            #expect(server.connections.value == 1)
        }
    }
}
