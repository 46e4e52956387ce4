import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("History through the command line")
struct HistoryCommandTests {
    func historyEnvironment(_ environment: [String: String]) -> ([String: String], String) {
        let directory = NSTemporaryDirectory() + "ecgrid-cli-history-" + UUID().uuidString
        var env = environment
        env["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
        return (env, directory + "/history.jsonl")
    }

    @Test("reset writes intent and outcome; history lists them; verify passes; the key is nowhere in the file")
    func resetIsRecorded() async throws {
        try await withCLISandbox { server, base in
            let (environment, path) = historyEnvironment(base)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let run = try await CLI.run(["reset", "40011", "40012", "--yes", "--reason", "INC-77"], environment: environment)
            #expect(run.status == 0)
            let records = try HistoryStore(path: path).records()
            #expect(records.filter { $0.kind == .intent }.count == 2)
            #expect(records.filter { $0.kind == .outcome && $0.result?.status == .succeeded }.count == 2)
            #expect(records.allSatisfy { $0.reason == "INC-77" && $0.actor.apiUser?.login == SandboxAccounts.operatorLogin })
            #expect(records.first { $0.kind == .outcome }?.result?.httpStatus == 200)
            let file = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!file.contains(await server.operatorKey()))

            let list = try await CLI.run(["history"], environment: environment)
            #expect(list.status == 0)
            #expect(list.stdout.contains("reset-sessions"))
            #expect(list.stdout.contains("succeeded"))
            #expect(list.stdout.contains("INC-77"))
            let filtered = try await CLI.run(["history", "--user", "40012", "--json"], environment: environment)
            let entries = try JSONSerialization.jsonObject(with: Data(filtered.stdout.utf8)) as? [[String: Any]]
            #expect(entries?.count == 1)
            let verify = try await CLI.run(["history", "verify"], environment: environment)
            #expect(verify.status == 0)
            #expect(verify.stdout.contains("intact — 4 record(s)"))
        }
    }

    @Test("history verify exits 1 on an edited record and names the line")
    func verifyTampering() async throws {
        try await withCLISandbox { _, base in
            let (environment, path) = historyEnvironment(base)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            _ = try await CLI.run(["reset", "40011", "40012", "--yes"], environment: environment)
            var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            // The first record is the intent of either reset (they run at once): edit its target.
            #expect(lines[0].contains("4001"))
            lines[0] = lines[0].replacingOccurrences(of: "4001", with: "4009")
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
            let verify = try await CLI.run(["history", "verify"], environment: environment)
            #expect(verify.status == 1)
            #expect(verify.stdout.contains("NOT intact — first break at line 2: broken link"))
        }
    }

    @Test("when the intent cannot be written, nothing is sent")
    func unwritableHistory() async throws {
        try await withCLISandbox { server, base in
            let blocker = NSTemporaryDirectory() + "ecgrid-blocked-" + UUID().uuidString
            try "file".write(toFile: blocker, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: blocker) }
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = blocker + "/history.jsonl"
            let run = try await CLI.run(["reset", "40011", "--yes"], environment: environment)
            // Refused before anything was sent: 2.
            #expect(run.status == 2)
            #expect(run.stdout.contains("history could not be written, so nothing was sent"))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)
        }
    }

    @Test("a run that starts reports actions an earlier run left without an outcome, once")
    func abandonedReported() async throws {
        try await withCLISandbox { _, base in
            let (environment, path) = historyEnvironment(base)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let store = HistoryStore(path: path)
            try store.append { seq, prev in
                HistoryRecord(
                    v: 1, seq: seq, kind: .intent, actionId: "crashed-1", time: "2026-11-24T03:00:00.000Z",
                    action: "reset-sessions", target: TargetSnapshot(userId: 40011),
                    actor: OperatorIdentity(localUser: "bob", host: "jump1", sshClient: nil, apiUser: nil),
                    process: ProcessIdentity(pid: 999_999, start: 1, boot: "another-boot", host: "jump1"),
                    profile: nil, baseURL: "http://x", reason: nil, result: nil, recoveredTornLineAt: nil, prev: prev)
            }
            let first = try await CLI.run(["whoami"], environment: environment)
            #expect(first.status == 0)
            #expect(first.stderr.contains("1 earlier action(s) ended without a recorded answer"))
            #expect(first.stderr.contains("reset-sessions of user 40011 at 2026-11-24T03:00:00.000Z by bob@jump1"))
            let second = try await CLI.run(["whoami"], environment: environment)
            #expect(!second.stderr.contains("without a recorded answer"))
            let list = try await CLI.run(["history", "--outcome", "unknown"], environment: environment)
            #expect(list.stdout.contains("UNKNOWN"))
        }
    }

    @Test("two processes resetting at once into one history: no interleaving, chain intact")
    func twoProcesses() async throws {
        try await withCLISandbox(users: 400) { server, base in
            let (environment, path) = historyEnvironment(base)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let ids = await resettable(server, count: 120)
            let halves = [ids.prefix(60).map(String.init), ids.suffix(60).map(String.init)]
            let runs = try await withThrowingTaskGroup(of: CLIRun.self) { group in
                for half in halves {
                    group.addTask { try await CLI.run(["reset", "-", "--yes", "--concurrency", "8"], environment: environment, input: half.joined(separator: "\n")) }
                }
                return try await group.reduce(into: [CLIRun]()) { $0.append($1) }
            }
            #expect(runs.allSatisfy { $0.status == 0 })
            let report = try HistoryStore(path: path).verify()
            #expect(!report.tampered && report.findings.isEmpty)
            #expect(report.records == 240)
            #expect(try HistoryStore(path: path).records().map(\.seq) == Array(1...240))
        }
    }

    @Test("SIGKILL and SIGHUP at random moments of bulk resets: the file verifies and every reset sent has its intent")
    func killedRuns() async throws {
        try await withCLISandbox(users: 200) { server, base in
            let (environment, path) = historyEnvironment(base)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let ids = await resettable(server, count: 40).map(String.init).joined(separator: "\n")
            var generator = SystemRandomNumberGenerator()
            let runs = 24
            for run in 0..<runs {
                let before = await server.store.count(method: "POST", pathPrefix: "/v2/users/reset")
                let process = try CLI.start(["reset", "-", "--yes", "--concurrency", "4"], environment: environment, input: ids)
                // Kill once the sandbox has seen a random number of this run's resets (or the run ended).
                let target = Int.random(in: 0..<40, using: &generator)
                while process.isRunning, await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") - before < target {
                    try await Task.sleep(for: .milliseconds(1))
                }
                kill(process.processIdentifier, run % 3 == 2 ? SIGHUP : SIGKILL)
                await CLI.wait(process)
                let report = try HistoryStore(path: path).verify()
                let problems = report.findings.filter(\.isTampering).map(\.description)
                #expect(problems.isEmpty, "run \(run): \(problems)")
            }
            // Every reset the sandbox received was preceded by its intent.
            let records = try HistoryStore(path: path).records()
            let intents = Set(records.filter { $0.kind == .intent }.compactMap { $0.target?.userId })
            let received = Set(await server.store.requests.filter { $0.method == "POST" && $0.path.hasPrefix("/v2/users/reset/") }
                .compactMap { Int($0.path.split(separator: "/").last ?? "") })
            #expect(received.isSubset(of: intents))
            // The next run closes what the killed ones left open.
            _ = try HistoryStore(path: path).closeAbandonedIntents()
            #expect(try HistoryStore(path: path).verify().openIntents.isEmpty)
        }
    }

    @Test("bulk reset of 1,000 users under rate limiting: every user reset and recorded once, no failures")
    func bulkUnderRateLimit() async throws {
        try await withCLISandbox(users: 1_100) { server, base in
            let (environment, path) = historyEnvironment(base)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let ids = await resettable(server, count: 1_000)
            #expect(ids.count == 1_000)
            // The limiter is on; twenty 429s with a real one-second Retry-After are certain on
            // any machine, however slowly it sends.
            await server.setFaults(FaultSettings(rateLimitPerSecond: 300, rules: [
                FaultRule(kind: .rateLimited, pathPrefix: "/v2/users/reset/", count: 20, retryAfter: 1),
            ]))
            let run = try await CLI.run(["reset", "-", "--yes", "--json", "--concurrency", "8"], environment: environment,
                input: ids.map(String.init).joined(separator: "\n"))
            #expect(run.status == 0)
            #expect(run.stdout.contains("\"failed\" : 0"))
            #expect(run.stdout.contains("\"succeeded\" : 1000"))
            let records = try HistoryStore(path: path).records()
            let outcomes = records.filter { $0.kind == .outcome }
            #expect(outcomes.count == 1_000)
            #expect(outcomes.allSatisfy { $0.result?.status == .succeeded })
            #expect(Set(outcomes.compactMap { $0.target?.userId }) == Set(ids))
            #expect(records.filter { $0.kind == .intent }.count == 1_000)
            #expect(!(try HistoryStore(path: path).verify().tampered))
            let limited = await server.store.requests.filter { $0.status == 429 }.count
            #expect(limited >= 20, "the rate limit was never hit: the test proves nothing")
        }
    }

    /// Users the demo operator may reset (below TechOps), in ID order.
    func resettable(_ server: SandboxServer, count: Int) async -> [Int] {
        var ids: [Int] = []
        var id = SandboxAccounts.firstGeneratedID
        while ids.count < count, let user = await server.store.user(id) {
            if user.authLevel?.isAtLeast(.techOps) == false { ids.append(id) }
            id += 1
        }
        return ids
    }
}
