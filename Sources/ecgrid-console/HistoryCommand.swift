import ArgumentParser
import ECGridKit
import Foundation
import IncidentLog

/// `history [--user ID] [--since DATE] [--action A] [--outcome O] [--json]` and `history verify`.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the incident history of this machine, newest first.",
        discussion: """
            The history is at $ECGRID_CONSOLE_HISTORY, else $XDG_STATE_HOME/ecgrid-console/history.jsonl \
            (~/.local/state/… when XDG_STATE_HOME is unset).
            """,
        subcommands: [ShowHistory.self, VerifyHistory.self],
        defaultSubcommand: ShowHistory.self)
}

struct ShowHistory: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "List recorded actions, newest first.")

    @OptionGroup var output: OutputOptions
    @Flag(help: "Show the sandbox's history instead of the real one.") var sandbox = false
    @Option(help: "Only actions on this user ID.") var user: Int?
    @Option(help: ArgumentHelp("Only since this time: 2026-11-24, an ISO date-time, or an age like 90m, 12h, 7d.", valueName: "date"))
    var since: String?
    @Option(help: "Only this action: reset-sessions, generate-api-key, terminate-user.", completion: Completions.actions)
    var action: String?
    @Option(help: "Only this outcome: succeeded, failed, unknown, not-sent, in-flight.", completion: Completions.outcomes)
    var outcome: String?
    @Option(help: "At most this many entries.") var limit: Int?

    func validate() throws {
        if let since, SinceParser.parse(since, now: Date()) == nil {
            throw ValidationError("Cannot read --since '\(since)': use 2026-11-24, an ISO date-time, or 90m, 12h, 7d.")
        }
        if let outcome, !Completions.outcomeNames.contains(outcome) {
            throw ValidationError("--outcome must be succeeded, failed, unknown, not-sent or in-flight.")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    func run() throws {
        History.reportAbandoned(sandbox: sandbox)
        let filter = HistoryFilter(userId: user, since: since.flatMap { SinceParser.parse($0, now: Date()) }, action: action, status: outcome)
        var entries: [HistoryEntry]
        do {
            entries = try History.store(sandbox: sandbox).entries(filter)
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
        if let limit { entries = Array(entries.prefix(limit)) }
        if output.json {
            Output.json(entries)
            return
        }
        if entries.isEmpty {
            Output.print("No recorded actions match.")
            return
        }
        let rows = entries.map { entry -> [String] in
            let target = entry.target
            return [String(entry.time.prefix(19)).replacingOccurrences(of: "T", with: " "), entry.action,
                    target.map { String($0.userId) } ?? "-", target?.login ?? "-", entry.status.uppercased(),
                    entry.result?.httpStatus.map(String.init) ?? "-",
                    "\(entry.actor.localUser)@\(entry.actor.host)" + (entry.actor.apiUser.map { " as \($0.login)" } ?? ""),
                    entry.reason ?? ""]
        }
        Output.table(["TIME (UTC)", "ACTION", "USER", "LOGIN", "OUTCOME", "HTTP", "OPERATOR", "REASON"], rows,
            rightAligned: [2, 5], maxWidths: [3: 24, 6: 40, 7: 40])
    }
}

struct VerifyHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain, the sequence and the tip; exit 1 when the file was tampered with.")

    @Flag(help: "Verify the sandbox's history instead of the real one.") var sandbox = false

    func run() throws {
        let store = History.store(sandbox: sandbox)
        let report: VerificationReport
        do {
            report = try store.verify()
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
        for finding in report.findings {
            Output.print((finding.isTampering ? "TAMPERING " : "note      ") + finding.description)
        }
        for open in report.openIntents {
            Output.print("open      line \(open.line): intent \(open.record.action) of user \(open.record.target?.userId ?? 0) has no outcome")
        }
        if let first = report.firstBreak {
            Output.print("\(store.path): NOT intact — first break at \(first.line.map { "line \($0)" } ?? "the end"): \(first.kind.rawValue).")
            throw ExitCode(ExitStatus.failure)
        }
        Output.print("\(store.path): intact — \(report.records) record(s) in \(report.lines) line(s), chain and sequence unbroken.")
    }
}

/// Reads `--since`: a date, a date-time, or an age.
enum SinceParser {
    static func parse(_ text: String, now: Date) -> Date? {
        if let date = ECGridDate.parse(text) { return date }
        if let date = ECGridDate.parse(text + "T00:00:00Z") { return date }
        guard let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 else { return nil }
        let seconds: Double
        switch unit {
        case "m": seconds = amount * 60
        case "h": seconds = amount * 3600
        case "d": seconds = amount * 86_400
        default: return nil
        }
        return now.addingTimeInterval(-seconds)
    }
}
