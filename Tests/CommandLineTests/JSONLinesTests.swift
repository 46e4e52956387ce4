import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import Testing

@Suite("--jsonl: one compact object a line, streamed")
struct JSONLinesTests {
    @Test("users list --jsonl: the same users as --json, one compact object a line")
    func sameAsJSON() async throws {
        try await withCLISandbox(users: 120) { _, environment in
            let lines = try await CLI.run(["users", "list", "--jsonl", "--page-size", "25"], environment: environment)
            #expect(lines.status == 0)
            let json = try await CLI.run(["users", "list", "--json", "--page-size", "25"], environment: environment)
            let all = try JSONDecoder().decode([User].self, from: Data(json.stdout.utf8))
            let rows = lines.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(rows.last == "")
            let decoded = try rows.dropLast().map { try JSONDecoder().decode(User.self, from: Data($0.utf8)) }
            #expect(decoded.map(\.userId) == all.map(\.userId))
            #expect(decoded == all)
            #expect(rows.dropLast().allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") && !$0.contains("\n") })
            let limited = try await CLI.run(["users", "list", "--jsonl", "--limit", "7", "--page-size", "5"], environment: environment)
            #expect(limited.stdout.split(separator: "\n").count == 7)
            let both = try await CLI.run(["users", "list", "--jsonl", "--json"], environment: environment)
            #expect(both.status == 64)
        }
    }

    @Test("the first page's lines are readable while later pages are still on their way")
    func streamed() async throws {
        try await withCLISandbox(users: 100) { server, environment in
            // One page a second: ten pages take several seconds, the first is answered at once.
            await server.setFaults(FaultSettings(rateLimitPerSecond: 1))
            let directory = NSTemporaryDirectory() + "ecgrid-jsonl-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let outPath = directory + "/out"
            #expect(FileManager.default.createFile(atPath: outPath, contents: nil))
            var env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": directory]
            env.merge(environment) { $1 }
            let process = try Spawn.start(
                [CLI.binary.path, "users", "list", "--jsonl", "--page-size", "10", "--concurrency", "1"],
                environment: env, standardOutput: outPath)
            defer { if process.isRunning { process.terminate() } }
            // Wait for the first page's ten lines (a state, polled with a deadline).
            let deadline = ContinuousClock.now + .seconds(30)
            var early = ""
            while ContinuousClock.now < deadline {
                early = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
                if early.split(separator: "\n").count >= 10 { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            let pagesAnswered = await server.store.requests.filter { $0.path.hasPrefix("/v2/users/list") && $0.status == 200 }.count
            #expect(early.split(separator: "\n").count >= 10)
            #expect(early.split(separator: "\n").count < 100)
            #expect(pagesAnswered < 11, "the last page was fetched before the first lines were readable")
            #expect(process.isRunning)
            let first = try JSONDecoder().decode(User.self, from: Data(early.split(separator: "\n")[0].utf8))
            #expect(first.userId > 0)
            await CLI.wait(process)
            #expect(process.terminationStatus == 0)
            let whole = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            #expect(whole.split(separator: "\n").count == 100)
            #expect(whole.hasPrefix(early))
        }
    }

    @Test("history --jsonl: the --json entries, one compact object a line")
    func history() async throws {
        try await withCLISandbox { _, base in
            let directory = NSTemporaryDirectory() + "ecgrid-jsonl-history-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            #expect(try await CLI.run(["reset", "40011", "40012", "--yes"], environment: environment).status == 0)
            let json = try await CLI.run(["history", "--json"], environment: environment)
            let lines = try await CLI.run(["history", "--jsonl"], environment: environment)
            #expect(lines.status == 0)
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [NSDictionary])
            let rows = lines.stdout.split(separator: "\n")
            #expect(rows.count == entries.count)
            #expect(rows.count == 2)
            for (row, entry) in zip(rows, entries) {
                let decoded = try #require(try JSONSerialization.jsonObject(with: Data(row.utf8)) as? NSDictionary)
                #expect(decoded == entry)
            }
        }
    }
}
