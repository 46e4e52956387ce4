import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

@Suite("History continuity through the command line")
struct HistoryContinuityCommandTests {
    @Test("cut the outcome of a reset: the next run says 'outcome record missing (history was cut)', invents nothing, and verify reports the cut for good")
    func cutOutcome() async throws {
        try await withCLISandbox { _, base in
            let directory = NSTemporaryDirectory() + "ecgrid-cli-continuity-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            let path = directory + "/history.jsonl"
            environment["ECGRID_CONSOLE_HISTORY"] = path
            #expect(try await CLI.run(["reset", "40011", "--yes", "--reason", "INC-4711"], environment: environment).status == 0)
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 2)
            // The succeeded outcome is cut.
            try (lines[0] + "\n").write(toFile: path, atomically: false, encoding: .utf8)

            let next = try await CLI.run(["whoami"], environment: environment)
            #expect(next.status == 0)
            #expect(next.stderr.contains("outcome record missing (history was cut)"))
            #expect(next.stderr.contains("user 40011"))
            #expect(!next.stderr.contains("marked \"outcome unknown\""))
            let records = try HistoryStore(path: path).records()
            #expect(records.map(\.kind) == [.intent, .discontinuity])
            #expect(records.map(\.seq) == [1, 3])

            #expect(try await CLI.run(["reset", "40012", "--yes"], environment: environment).status == 0)
            let verify = try await CLI.run(["history", "verify"], environment: environment)
            #expect(verify.status == 1)
            #expect(verify.stdout.contains("TAMPERING line 2: discontinuity: records were cut: expected record 2"))
            #expect(try HistoryStore(path: path).records().map(\.seq) == [1, 3, 4, 5])
            let list = try await CLI.run(["history", "--user", "40011"], environment: environment)
            #expect(list.stdout.contains("MISSING"))
        }
    }
}
