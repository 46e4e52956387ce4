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
        subcommands: [ShowHistory.self, VerifyHistory.self, ReportHistory.self],
        defaultSubcommand: ShowHistory.self)
}

struct ShowHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "List recorded actions, newest first; with --file, one timeline from several hosts.")

    @OptionGroup var output: OutputOptions
    @Flag(help: "Show the sandbox's history instead of the real one.") var sandbox = false
    @Option(help: "Only actions on this user ID.") var user: Int?
    @Option(help: ArgumentHelp("Only since this time: 2026-11-24, an ISO date-time, or an age like 90m, 12h, 7d.", valueName: "date"))
    var since: String?
    @Option(help: "Only this action, as the history names it.")
    var action: UserAction?
    @Option(help: "Only this outcome.")
    var outcome: ActionStatus?
    @Option(help: "At most this many entries.") var limit: Int?
    @Option(name: .customLong("file"), help: ArgumentHelp(
        "A history copied from another machine; repeat for several. Each chain is verified and the actions "
            + "are shown as one timeline, oldest first, with the host of each (exit 1 when a copy is not intact).",
        valueName: "path"))
    var files: [String] = []
    @Flag(help: "One compact JSON object a line (the --json entries), for jq and other streaming readers.") var jsonl = false

    func validate() throws {
        if let since, SinceParser.parse(since, now: Date()) == nil {
            throw ValidationError("Cannot read --since '\(since)': use 2026-11-24, an ISO date-time, or 90m, 12h, 7d.")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if jsonl && output.json { throw ValidationError("--jsonl and --json exclude each other.") }
    }

    func run() throws {
        let filter = HistoryFilter(userId: user, since: since.flatMap { SinceParser.parse($0, now: Date()) }, action: action, status: outcome)
        if !files.isEmpty {
            try HistoryTimeline.run(files, filter: filter, limit: limit, json: output.json)
            return
        }
        History.reportAbandoned(sandbox: sandbox)
        var entries: [HistoryEntry]
        do {
            entries = try History.store(sandbox: sandbox).entries(filter)
        } catch let error as HistoryError where error.isRefusal {
            throw History.refused(error)
        } catch {
            throw History.failure(error, json: output.json)
        }
        if let limit { entries = Array(entries.prefix(limit)) }
        if output.json {
            Output.json(entries)
            return
        }
        if jsonl {
            Output.jsonLines(entries)
            return
        }
        if entries.isEmpty {
            Output.print("No recorded actions match.")
            return
        }
        let rows = entries.map { entry -> [String] in
            let target = entry.target
            return [String(entry.time.prefix(19)).replacingOccurrences(of: "T", with: " "), entry.action,
                    target.map { String($0.userId) } ?? "-", target?.login ?? "-",
                    entry.status.shown,
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

    @OptionGroup var output: OutputOptions
    @Flag(help: "Verify the sandbox's history instead of the real one.") var sandbox = false
    @Option(help: ArgumentHelp(
        "Also compare with a copy the host's log pipeline collected: an rsyslog file, or `journalctl -o json` output. "
            + "Records missing, altered or out of order on either side are reported.", valueName: "file"))
    var against: String?

    func run() throws {
        let store = History.store(sandbox: sandbox)
        let anchor = try against.map { try HistoryAnchor.check(store, against: $0) }
        let report: VerificationReport
        do {
            report = try store.verify()
        } catch let error as HistoryError where error.isRefusal {
            throw History.refused(error)
        } catch {
            throw History.failure(error, json: output.json)
        }
        if output.json {
            Output.json(VerificationJSON(report, path: store.path))
            if report.firstBreak != nil { throw ExitCode(ExitStatus.failure) }
            return
        }
        for finding in report.findings {
            Output.print((finding.isTampering ? "TAMPERING " : "note      ") + finding.description)
        }
        for open in report.openIntents {
            Output.print("open      line \(open.line): intent \(open.record.action) of user \(open.record.target?.userId ?? 0) has no outcome")
        }
        if let anchor { HistoryAnchor.print(anchor) }
        if let first = report.firstBreak {
            Output.print("\(store.path): NOT intact — first break at \(first.line.map { "line \($0)" } ?? "the end"): \(first.kind.rawValue).")
            throw ExitCode(ExitStatus.failure)
        }
        if let anchor, anchor.report.tampered {
            Output.print("\(store.path): NOT intact — it differs from the collected copy \(anchor.path).")
            throw ExitCode(ExitStatus.failure)
        }
        Output.print("\(store.path): intact — \(report.records) record(s) in \(report.lines) line(s), chain and sequence unbroken"
            + (anchor.map { ", \($0.report.matching) of them as in the collected copy" } ?? "") + ".")
    }
}

/// `history verify --json`: the same findings as the text, one object.
struct VerificationJSON: Encodable {
    struct Finding: Encodable {
        var line: Int?
        var kind: String
        var detail: String
        var tampering: Bool
    }

    struct OpenIntent: Encodable {
        var line: Int
        var action: String
        var userId: Int?
        var actionId: String
    }

    var path: String
    /// False when something other than appends changed the file.
    var intact: Bool
    var records: Int
    var lines: Int
    var findings: [Finding]
    var openIntents: [OpenIntent]
    var firstBreak: Finding?

    init(_ report: VerificationReport, path: String) {
        func shape(_ finding: VerificationReport.Finding) -> Finding {
            Finding(line: finding.line, kind: finding.kind.rawValue, detail: finding.detail, tampering: finding.isTampering)
        }
        self.path = path
        intact = report.firstBreak == nil
        records = report.records
        lines = report.lines
        findings = report.findings.map(shape)
        openIntents = report.openIntents.map {
            OpenIntent(line: $0.line, action: $0.record.action, userId: $0.record.target?.userId, actionId: $0.record.actionId)
        }
        firstBreak = report.firstBreak.map(shape)
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
