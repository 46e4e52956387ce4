import ECGridKit
import Foundation

/// `history --file A --file B …`: copies of histories collected from several machines, each
/// chain verified, merged into one timeline ordered by time, with the host of each action.
public enum HistoryTimeline {
    /// One file's verification, as `--json` prints it.
    public struct FileReport: Encodable, Sendable {
        public var path: String
        public var intact: Bool
        public var records: Int
        public var lines: Int
        public var findings: [String]
        public var error: String?
    }

    /// One action of the timeline: the entry, the host it was done from, and the file it came from.
    public struct Item: Encodable, Sendable {
        public var entry: HistoryEntry
        public var host: String
        public var file: String

        enum Keys: String, CodingKey { case host, file }

        public func encode(to encoder: any Encoder) throws {
            try entry.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(host, forKey: .host)
            try container.encode(file, forKey: .file)
        }
    }

    /// Every file's verification and the merged timeline.
    public struct Report: Encodable, Sendable {
        public var files: [FileReport]
        public var timeline: [Item]
    }

    /// Reads, verifies and merges `paths`; an action found in several copies (a shared file
    /// collected twice) is shown once. Oldest first; `limit` keeps the latest.
    public static func build(_ paths: [String], filter: HistoryFilter, limit: Int?) -> Report {
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
}
