import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import IncidentLog
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL, SIGHUP, SIGTERM and SIGINT at random moments of bulk resets, in the command line
/// and in the console: the history always verifies (or shows only a torn last line), no record
/// is lost (every reset the server received has its intent), and on every signal that can be
/// caught the terminal is restored. `bench/soak` runs 200 of each.
@Suite("Reliability: killed at random moments")
struct SignalSoakTests {
    static let signals: [(String, Int32)] = [("SIGKILL", SIGKILL), ("SIGHUP", SIGHUP), ("SIGTERM", SIGTERM), ("SIGINT", SIGINT)]

    /// Resets the server received, by user, that the history has no intent for.
    static func lostRecords(_ server: SandboxServer, history: String) async -> Int {
        let records = (try? HistoryStore(path: history).records()) ?? []
        var intents: [Int: Int] = [:]
        for record in records where record.kind == .intent {
            if let id = record.target?.userId { intents[id, default: 0] += 1 }
        }
        var received: [Int: Int] = [:]
        for request in await server.store.requests where request.method == "POST" && request.path.hasPrefix("/v2/users/reset/") {
            if let id = Int(request.path.split(separator: "/").last ?? "") { received[id, default: 0] += 1 }
        }
        return received.reduce(0) { $0 + max(0, $1.value - intents[$1.key, default: 0]) }
    }

    /// Problems with the history file after a run.
    static func historyProblems(_ path: String) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            let report = try HistoryStore(path: path).verify()
            return report.findings.filter(\.isTampering).map(\.description)
        } catch {
            return ["history unreadable: \(error)"]
        }
    }

    @Test("command line: bulk resets killed by each signal at a random point")
    func commandLine() async throws {
        var figures = ReliabilityFigures("killed runs, command line")
        let runs = ReliabilityFigures.runs(ci: 24, soak: 200)
        try await withCLISandbox(users: 200) { server, base in
            var environment = base
            let directory = NSTemporaryDirectory() + "ecgrid-kill-cli-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let history = directory + "/history.jsonl"
            environment["ECGRID_CONSOLE_HISTORY"] = history
            var ids: [Int] = []
            for skip in 0..<30 { if let user = await actionableUser(server, skip: skip) { ids.append(user.userId) } }
            let input = ids.map(String.init).joined(separator: "\n")
            var generator = SystemRandomNumberGenerator()
            for run in 0..<runs {
                let (name, signal) = Self.signals[run % Self.signals.count]
                let before = await server.store.count(method: "POST", pathPrefix: "/v2/users/reset")
                let process = try CLI.start(["reset", "-", "--yes", "--concurrency", "4"], environment: environment, input: input)
                let target = Int.random(in: 0..<ids.count, using: &generator)
                while process.isRunning, await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") - before < target {
                    try await Task.sleep(for: .milliseconds(1))
                }
                kill(process.processIdentifier, signal)
                await CLI.wait(process)
                var problems = Self.historyProblems(history)
                let status = process.terminationStatus
                if process.terminationReason == .exit, status != 0, status != 1, status != 128 + signal {
                    problems.append("exit status \(status)")
                }
                figures.record("run \(run) \(name) after \(target) resets", problems: problems)
            }
            figures.recordsLost = await Self.lostRecords(server, history: history)
            if figures.recordsLost > 0 { Issue.record("\(figures.recordsLost) reset(s) reached the server without an intent") }
        }
        figures.report()
    }

    @Test("console: killed by each signal while loading, in a dialog, with resets in flight, or after")
    func console() async throws {
        let figures = Mutex(ReliabilityFigures("killed runs, console"))
        let runs = ReliabilityFigures.runs(ci: 16, soak: 200)
        try await withCLISandbox(users: 300) { server, base in
            // Resets take a while, so a kill can land while they are in flight.
            await server.setFaults(FaultSettings(rules: [FaultRule(kind: .slow, pathPrefix: "/v2/users/reset/", delayMs: 250)]))
            let directory = NSTemporaryDirectory() + "ecgrid-kill-console-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let history = directory + "/history.jsonl"
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = history
            environment["LANG"] = "C.UTF-8"
            environment["TERM"] = "xterm-256color"
            environment["HOME"] = directory
            // One history, one console at a time: a run closes what a killed one left open.
            for run in 0..<runs {
                let (name, signal) = Self.signals[run % Self.signals.count]
                let phase = (run / Self.signals.count) % 4
                var problems: [String] = []
                do {
                    problems = try await Self.consoleRun(
                        server, environment: environment, capture: directory + "/run-\(run).bytes", signal: signal, phase: phase)
                } catch {
                    problems = ["\(error)"]
                }
                problems += Self.historyProblems(history)
                figures.withLock { $0.record("run \(run) \(name) phase \(phase)", problems: problems) }
            }
            let lost = await Self.lostRecords(server, history: history)
            figures.withLock { $0.recordsLost = lost }
            if lost > 0 { Issue.record("\(lost) reset(s) reached the server without an intent") }
        }
        figures.withLock { $0.report() }
    }

    /// One console run: start, reach the phase, send the signal, check what it left.
    static func consoleRun(_ server: SandboxServer, environment: [String: String], capture: String, signal: Int32, phase: Int)
        async throws -> [String]
    {
        try await withTmux { tmux in
            try await tmux.startCaptured([CLI.binary.path], environment: environment, capture: capture)
            if phase > 0 { try await tmux.waitFor("all loaded") }
            if phase >= 2 {
                // Mark three users (Space marks and moves down) from the first one the operator may reset.
                try await tmux.send("End")
                for _ in 0..<3 { try await tmux.send("Space") }
                try await tmux.send("r")
                try await tmux.waitFor("Type the number of users")
                if phase >= 3 || Bool.random() {
                    try await tmux.type("3")
                    // Enter only once the screen shows the state that makes it act.
                    try await tmux.waitFor("Matches: Enter")
                    try await tmux.send("Enter")
                    try await tmux.waitFor("action(s) in flight", timeout: .seconds(10))
                    if phase == 3 { try await tmux.waitUntilGone("action(s) in flight", timeout: .seconds(15)) }
                }
            }
            guard let pid = try await tmux.consolePID() else { return ["the console was not running"] }
            kill(pid, signal)
            let screen: String
            do {
                screen = try await tmux.waitFor("EXITED=", timeout: .seconds(20), joined: signal == SIGKILL)
            } catch {
                let state = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8))?
                    .split(separator: "\n").first { $0.hasPrefix("State:") } ?? "gone"
                return ["no exit after the signal (process \(pid): \(state)): \(error)"]
            }
            var problems: [String] = []
            if !screen.contains("EXITED=\(128 + signal)") { problems.append("exit: \(screen.split(separator: "\n").last ?? "")") }
            guard signal != SIGKILL else { return problems }
            if try await tmux.alternateScreen() != "0" { problems.append("still in the alternate screen") }
            let modes = try await tmux.terminalModes()
            if !modes.echo || !modes.canonical { problems.append("terminal modes not restored: echo \(modes.echo), icanon \(modes.canonical)") }
            let bytes = FileManager.default.contents(atPath: capture) ?? Data()
            let enter = bytes.range(of: Data("\u{1B}[?1049h".utf8), options: .backwards)
            let leave = bytes.range(of: Data("\u{1B}[?1049l".utf8), options: .backwards)
            if let enter, leave.map({ $0.lowerBound < enter.lowerBound }) ?? true { problems.append("the alternate screen was not left") }
            // Killed before the console took the terminal, the default action ends it: nothing
            // was drawn or in flight, and there is nothing to say.
            if enter != nil, !screen.contains("stopped by") { problems.append("no word on why it stopped") }
            return problems
        }
    }
}
