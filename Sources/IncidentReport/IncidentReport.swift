import Crypto
import ECGridActions
import ECGridKit
import Foundation
import IncidentLog

/// The write-up of an incident, built from one or more histories: what a team hands to
/// security and the customer. In this order: the header (the incident, the time range, who
/// made the report with what, from which files), the open items (outcomes still unknown,
/// containments not finished, sessions seen again after a containment), what was done to each
/// user in the end, the timeline of every record, and the integrity of every input (its chain,
/// its tip, its copy in the system log, its SHA-256). It never holds a secret: history records
/// hold none (no password, no key string, no token), and every text from a server is
/// sanitised as on a terminal.
///
/// The JSON form is this type encoded (schema `ecgrid-console/incident-report/1`, documented in
/// the README); the Markdown and HTML forms are rendered from it.
package struct IncidentReport: Sendable, Encodable {
    /// The schema of the JSON form; a change that removes or renames a field makes it `/2`.
    package static let schema = "ecgrid-console/incident-report/1"

    package var schema = Self.schema
    package var header: Header
    package var openItems: [OpenItem]
    package var users: [UserSummary]
    package var timeline: [TimelineItem]
    package var integrity: [FileIntegrity]

    package struct Header: Sendable, Encodable {
        /// The reason or ticket the report is about, as the operators typed it (nil: every record).
        package var incident: String?
        /// The first and last record's time, UTC, and the same in the operator's time zone.
        package var from: String?
        package var until: String?
        package var timeZone: String
        package var fromLocal: String?
        package var untilLocal: String?
        /// When the report was made (`SOURCE_DATE_EPOCH` fixes it), by which tool version and commit.
        package var madeAt: String
        package var tool: String
        package var commit: String
        /// The histories it was made from, and the collected copy it was compared with.
        package var files: [String]
        package var against: String?
        /// The filters given besides the incident.
        package var filters: [String]
    }

    /// Something that still needs a person: an outcome unknown, a containment not finished, a
    /// session back after a containment.
    package struct OpenItem: Sendable, Encodable {
        package enum Kind: String, Sendable, Encodable {
            case outcomeUnknown = "outcome-unknown", outcomeMissing = "outcome-missing", inFlight = "in-flight"
            case unfinishedContainment = "unfinished-containment", sessionsSeenAgain = "sessions-seen-again"
        }
        package var kind: Kind
        package var time: String
        package var userId: Int?
        package var login: String?
        package var what: String
        /// What to check, in a sentence.
        package var check: String
    }

    /// What was done to one user, in the end.
    package struct UserSummary: Sendable, Encodable {
        package var userId: Int
        package var login: String?
        /// `password set`, `sessions reset`, `2 API keys deleted`, `API key rotated`, `terminated`, `notice sent`.
        package var done: [String]
        /// What was tried and did not succeed, with its outcome.
        package var notDone: [String]
        /// The server's last word about this user: the last action's outcome, status and message.
        package var lastWord: String
    }

    /// One record of the timeline: an action (its intent and outcome) or an observation.
    package struct TimelineItem: Sendable, Encodable {
        package var time: String
        package var record: String
        package var action: String
        package var step: String?
        package var userId: Int?
        package var login: String?
        package var key: String?
        package var outcome: String
        package var httpStatus: Int?
        package var errorCode: String?
        package var message: String?
        package var latencyMs: Int?
        package var reason: String?
        package var localUser: String
        package var host: String
        package var sshClient: String?
        package var apiUser: String?
        package var profile: String?
        package var server: String
        package var file: String
        package var note: String?
    }

    /// One input file's integrity.
    package struct FileIntegrity: Sendable, Encodable {
        package var path: String
        package var sha256: String
        package var bytes: Int
        package var records: Int
        /// `intact`, `broken` (tampering found), or `unreadable`.
        package var chain: String
        /// The first tampering finding, and every finding (tampering or note).
        package var firstBreak: String?
        package var findings: [String]
        /// The tip file's sequence number and hash, when there is one.
        package var tip: String?
        /// The comparison with the collected copy, when `--against` was given.
        package var against: AgainstCopy?
    }

    package struct AgainstCopy: Sendable, Encodable {
        package var path: String
        package var sha256: String
        package var copyRecords: Int
        package var matching: Int
        /// True when the copy and the file hold the same records; `tampering` when what differs
        /// can only mean the file was changed (not a copy that lost records).
        package var agrees: Bool
        package var tampering: Bool
        package var findings: [String]
    }
}

/// Which records a report is about.
package struct ReportFilter: Sendable {
    /// The reason or ticket, matched as the operator typed it (leading and trailing spaces aside).
    package var reason: String?
    package var userId: Int?
    package var since: Date?
    package var until: Date?

    package init(reason: String? = nil, userId: Int? = nil, since: Date? = nil, until: Date? = nil) {
        self.reason = reason
        self.userId = userId
        self.since = since
        self.until = until
    }

    func matches(reason recorded: String?, userId recordedUser: Int?, time: String) -> Bool {
        if let reason, recorded?.trimmingCharacters(in: .whitespaces) != reason.trimmingCharacters(in: .whitespaces) { return false }
        if let userId, recordedUser != userId { return false }
        let date = ECGridDate.parse(time) ?? .distantPast
        if let since, date < since { return false }
        if let until, date > until { return false }
        return true
    }

    var words: [String] {
        [userId.map { "user \($0)" }, since.map { "since \(ECGridDate($0).text)" }, until.map { "until \(ECGridDate($0).text)" }]
            .compactMap { $0 }
    }
}

extension IncidentReport {
    /// What the report is made of besides the files: when, by what, in which time zone.
    package struct Making: Sendable {
        package var madeAt: Date
        package var tool: String
        package var commit: String
        package var timeZone: TimeZone

        package init(madeAt: Date, tool: String, commit: String, timeZone: TimeZone) {
            self.madeAt = madeAt
            self.tool = tool
            self.commit = commit
            self.timeZone = timeZone
        }
    }

    /// The report of the histories at `paths` (several hosts' copies merge into one timeline),
    /// for the records `filter` keeps, compared with the collected copy at `against` when given.
    package static func build(paths: [String], filter: ReportFilter, against: String?, making: Making) -> IncidentReport {
        var integrity: [FileIntegrity] = []
        var entries: [(entry: HistoryEntry, file: String)] = []
        var observations: [(record: HistoryRecord, file: String)] = []
        var seen = Set<String>()
        let copy = against.flatMap { FileManager.default.contents(atPath: $0) }.map { Array($0) }
        for path in paths {
            let bytes = FileManager.default.contents(atPath: path).map { Array($0) } ?? []
            let store = HistoryStore(path: path, refusesUnsafePaths: false)
            var file = FileIntegrity(
                path: path, sha256: sha256(bytes), bytes: bytes.count, records: 0, chain: "unreadable", firstBreak: nil,
                findings: [], tip: store.tip().map { "sequence \($0.seq), \($0.hash)" }, against: nil)
            do {
                let verification = try store.verify()
                file.records = verification.records
                file.chain = verification.tampered ? "broken" : "intact"
                file.firstBreak = verification.firstBreak.map { TerminalText.sanitize($0.description) }
                file.findings = verification.findings.map { ($0.isTampering ? "TAMPERING: " : "note: ") + TerminalText.sanitize($0.description) }
                let lines = try store.lines()
                for entry in HistoryEntry.entries(from: lines) where seen.insert(entry.actionId).inserted {
                    entries.append((entry, path))
                }
                for record in lines.compactMap(\.record) where record.kind == .observation && seen.insert(record.actionId).inserted {
                    observations.append((record, path))
                }
                if let copy, let against {
                    let comparison = try store.verify(against: CollectedCopy.parse(copy))
                    file.against = AgainstCopy(
                        path: against, sha256: sha256(copy), copyRecords: comparison.copyRecords, matching: comparison.matching,
                        agrees: comparison.findings.isEmpty, tampering: comparison.tampered, findings: comparison.findings.map { TerminalText.sanitize($0.description) })
                }
            } catch {
                file.findings = ["unreadable: " + TerminalText.sanitize("\(error)")]
            }
            integrity.append(file)
        }
        let keptEntries = entries.filter { filter.matches(reason: $0.entry.reason, userId: $0.entry.target?.userId, time: $0.entry.time) }
        let keptObservations = observations.filter {
            filter.matches(reason: $0.record.reason, userId: $0.record.target?.userId, time: $0.record.time)
        }
        let timeline = Self.timeline(keptEntries, keptObservations)
        let times = timeline.map(\.time)
        let header = Header(
            incident: filter.reason.map(TerminalText.sanitize), from: times.first, until: times.last,
            timeZone: making.timeZone.identifier, fromLocal: times.first.map { local($0, making.timeZone) },
            untilLocal: times.last.map { local($0, making.timeZone) }, madeAt: ECGridDate(making.madeAt).text,
            tool: making.tool, commit: making.commit, files: paths, against: against, filters: filter.words)
        return IncidentReport(
            header: header, openItems: openItems(keptEntries.map(\.entry), keptObservations.map(\.record)),
            users: users(keptEntries.map(\.entry)), timeline: timeline, integrity: integrity)
    }

    /// SHA-256 in hex.
    package static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// `2026-12-02T06:54:10.123Z` in `zone`: `2026-12-02 07:54:10 CET`.
    static func local(_ time: String, _ zone: TimeZone) -> String {
        guard let date = ECGridDate.parse(time) else { return TerminalText.sanitize(time) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let two = { (value: Int?) in String(value ?? 0).leftPadded(to: 2) }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) "
            + (zone.abbreviation(for: date) ?? zone.identifier)
    }
}

extension String {
    /// The string with zeros in front, to `width` characters.
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
