import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

@Suite("One reset")
struct OneResetTests {
    @Test("reset ID --yes: one connection, the re-read before and after, the API user in both records")
    func oneConnection() async throws {
        try await withCLISandbox { server, base in
            let directory = NSTemporaryDirectory() + "ecgrid-one-reset-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            let run = try await CLI.run(["reset", "40011", "--yes"], environment: environment)
            #expect(run.status == 0)
            #expect(server.connections.value == 1)
            let requests = await server.store.requests.map { "\($0.method) \($0.path)" }
            #expect(requests.filter { $0 == "GET /v2/users/40011" }.count == 2)
            #expect(requests.filter { $0 == "POST /v2/users/reset/40011" }.count == 1)
            let records = try HistoryStore(path: directory + "/history.jsonl").records()
            #expect(records.map(\.kind) == [.intent, .outcome])
            #expect(records.allSatisfy { $0.actor.apiUser?.login == SandboxAccounts.operatorLogin })
        }
    }
}
