import ArgumentParser
import ECGridKit
import Foundation
import IncidentLog

extension HistoryTimeline {
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
