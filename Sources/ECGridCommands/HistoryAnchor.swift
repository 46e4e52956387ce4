import ArgumentParser
import ECGridKit
import Foundation
import IncidentLog

/// `history verify --against FILE`: the history compared with a copy collected by the host's
/// log pipeline (rsyslog's file, or `journalctl -o json`).
enum HistoryAnchor {
    struct Checked {
        var path: String
        var report: AnchorReport
    }

    /// Reads the copy and compares; exit status 1 when the copy cannot be read, 2 when the
    /// history is refused.
    static func check(_ store: HistoryStore, against path: String) throws -> Checked {
        guard let data = FileManager.default.contents(atPath: path) else {
            Output.error("error: cannot read the collected copy \(path)")
            throw ExitCode(ExitStatus.failure)
        }
        do {
            return Checked(path: path, report: try store.verify(against: CollectedCopy.parse(Array(data))))
        } catch let error as HistoryError where error.isRefusal {
            throw History.refused(error)
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
    }

    static func print(_ checked: Checked) {
        let report = checked.report
        for finding in report.findings {
            Output.print((finding.isTampering ? "TAMPERING " : "note      ") + "against the copy: " + Output.safe(finding.description))
        }
        Output.print("Collected copy \(Output.safe(checked.path)): \(report.copyRecords) record(s) of this history, "
            + "\(report.matching) of the file's \(report.fileRecords) the same on both sides.")
    }
}
