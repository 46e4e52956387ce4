import ArgumentParser
import ECGridKit
import Foundation
import IncidentLog

/// `history --file A --file B …`: copies of histories collected from several machines, each
/// chain verified, merged into one timeline ordered by time, with the host of each action.
enum HistoryTimeline {
    /// One file's verification, as `--json` prints it.
    struct FileReport: Encodable {
        var path: String
        var intact: Bool
        var records: Int
        var lines: Int
        var findings: [String]
        var error: String?
    }

    /// One action of the timeline: the entry, the host it was done from, and the file it came from.
    struct Item: Encodable {
        var entry: HistoryEntry
        var host: String
        var file: String

        enum Keys: String, CodingKey { case host, file }

        func encode(to encoder: any Encoder) throws {
            try entry.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(host, forKey: .host)
            try container.encode(file, forKey: .file)
        }
    }

    struct Report: Encodable {
        var files: [FileReport]
        var timeline: [Item]
    }

    /// Reads, verifies and merges `paths`; an action found in several copies (a shared file
    /// collected twice) is shown once. Oldest first; `limit` keeps the latest.
    static func build(_ paths: [String], filter: HistoryFilter, limit: Int?) -> Report {
        var files: [FileReport] = []
        var items: [Item] = []
        var seen: Set<String> = []
        for path in paths {
            let store = HistoryStore(path: path, refusesUnsafePaths: false)
            do {
                guard FileManager.default.fileExists(atPath: path) else {
                    throw HistoryError(path: path, operation: "read", reason: "no such file")
                }
                let report = try store.verify()
                files.append(FileReport(
                    path: path, intact: !report.tampered, records: report.records, lines: report.lines,
                    findings: report.findings.map { ($0.isTampering ? "TAMPERING " : "note ") + $0.description }))
                for entry in HistoryEntry.entries(from: try store.lines()) where filter.matches(entry) {
                    guard seen.insert(entry.actionId).inserted else { continue }
                    items.append(Item(entry: entry, host: entry.actor.host, file: path))
                }
            } catch {
                files.append(FileReport(path: path, intact: false, records: 0, lines: 0, findings: [], error: "\(error)"))
            }
        }
        // Stable: equal times keep file order, then line order.
        let ordered = items.enumerated().sorted { left, right in
            let a = ECGridDate.parse(left.element.entry.time) ?? .distantPast
            let b = ECGridDate.parse(right.element.entry.time) ?? .distantPast
            return a != b ? a < b : left.offset < right.offset
        }.map(\.element)
        return Report(files: files, timeline: limit.map { Array(ordered.suffix($0)) } ?? ordered)
    }

    /// Prints the report (a table, or `--json`); exit status 1 when a copy is not intact or
    /// could not be read.
    static func run(_ paths: [String], filter: HistoryFilter, limit: Int?, json: Bool) throws {
        let report = build(paths, filter: filter, limit: limit)
        if json {
            Output.json(report)
        } else {
            for file in report.files {
                if let error = file.error {
                    Output.print("\(Output.safe(file.path)): could not be read: \(Output.safe(error))")
                } else {
                    Output.print("\(Output.safe(file.path)): " + (file.intact ? "intact" : "NOT intact")
                        + " — \(file.records) record(s)")
                }
                for finding in file.findings { Output.print("  \(Output.safe(finding))") }
            }
            if report.timeline.isEmpty {
                Output.print("No recorded actions match.")
            } else {
                let rows = report.timeline.map { item -> [String] in
                    let entry = item.entry
                    let target = entry.target
                    return [String(entry.time.prefix(19)).replacingOccurrences(of: "T", with: " "), item.host, entry.action,
                            target.map { String($0.userId) } ?? "-", target?.login ?? "-", entry.status.shown,
                            entry.result?.httpStatus.map(String.init) ?? "-",
                            entry.actor.localUser + (entry.actor.apiUser.map { " as \($0.login)" } ?? ""),
                            entry.reason ?? ""]
                }
                Output.table(["TIME (UTC)", "HOST", "ACTION", "USER", "LOGIN", "OUTCOME", "HTTP", "OPERATOR", "REASON"], rows,
                    rightAligned: [3, 6], maxWidths: [1: 24, 4: 24, 7: 32, 8: 40])
            }
        }
        if report.files.contains(where: { !$0.intact }) { throw ExitCode(ExitStatus.failure) }
    }
}
