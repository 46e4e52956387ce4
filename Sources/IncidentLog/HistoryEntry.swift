import ECGridKit
import Foundation

/// One action as the history tells it: its intent and, when recorded, its outcome.
public struct HistoryEntry: Sendable, Encodable {
    public var actionId: String
    public var action: String
    public var time: String
    public var target: TargetSnapshot?
    public var actor: OperatorIdentity
    public var profile: String?
    public var baseURL: String
    public var reason: String?
    /// `succeeded`, `failed`, `unknown`, `not-sent`, `in-flight` while its process runs, or
    /// `missing` when a discontinuity followed the intent: its outcome record may have been cut.
    public var status: ActionStatus
    public var result: OutcomeDetails?
    /// Line of the intent record.
    public var line: Int
    /// The containment it belongs to, and its step; the key a key deletion was about.
    public var playbook: PlaybookMark?
    public var key: KeySnapshot?
    /// The text of a notice (a `send-sms` step, and a containment's own entry).
    public var notice: String?
    /// What the containment's verifying read found (on a `contain` entry's outcome).
    public var observation: Observation?

    public init(
        actionId: String, action: String, time: String, target: TargetSnapshot?, actor: OperatorIdentity,
        profile: String?, baseURL: String, reason: String?, status: ActionStatus, result: OutcomeDetails?, line: Int,
        playbook: PlaybookMark? = nil, key: KeySnapshot? = nil, notice: String? = nil, observation: Observation? = nil
    ) {
        self.actionId = actionId
        self.action = action
        self.time = time
        self.target = target
        self.actor = actor
        self.profile = profile
        self.baseURL = baseURL
        self.reason = reason
        self.status = status
        self.result = result
        self.line = line
        self.playbook = playbook
        self.key = key
        self.notice = notice
        self.observation = observation
    }

    enum CodingKeys: String, CodingKey {
        case actionId, action, time, target, actor = "operator", profile, baseURL, reason, status, result, line
        case playbook, key, notice, observation
    }

    /// Entries built from the file's lines, oldest first.
    public static func entries(from lines: [HistoryLine]) -> [HistoryEntry] {
        var entries: [HistoryEntry] = []
        var index: [String: Int] = [:]
        var processes: [ProcessIdentity] = []
        for line in lines {
            guard let record = line.record else { continue }
            switch record.kind {
            case .intent:
                index[record.actionId] = entries.count
                entries.append(HistoryEntry(
                    actionId: record.actionId, action: record.action, time: record.time, target: record.target,
                    actor: record.actor, profile: record.profile, baseURL: record.baseURL, reason: record.reason,
                    status: .unknown, result: nil, line: line.number, playbook: record.playbook, key: record.key,
                    notice: record.notice))
                processes.append(record.process)
            case .outcome:
                guard let position = index[record.actionId] else { continue }
                entries[position].result = record.result
                entries[position].status = record.result?.status ?? .unknown
                entries[position].observation = record.observation
            case .discontinuity:
                // Records were cut or changed here: the outcome of any action still open may
                // have been among them. Never guess it.
                for position in entries.indices where entries[position].result == nil {
                    entries[position].status = .missing
                }
            case .observation:
                // Not an action: the playbook's reader (Containment) and the report read these.
                continue
            }
        }
        // Only intents without an outcome need to know whether their process still runs.
        for position in entries.indices where entries[position].result == nil && processes[position].isRunning {
            entries[position].status = .inFlight
        }
        return entries
    }

    /// What to show for an action with no recorded outcome.
    public var checkAdvice: String {
        let who = target.map { "user \($0.userId)" + ($0.login.map { " (\($0))" } ?? "") } ?? "the target"
        if status == .missing {
            return "\(action) of \(who) at \(time) by \(actor.localUser)@\(actor.host): outcome record missing (history was cut). "
                + "It may have succeeded or failed; check \(who) on the server before repeating it."
        }
        return "\(action) of \(who) at \(time) by \(actor.localUser)@\(actor.host): the request may have gone out "
            + "but no answer was recorded. Check \(who) on the server (open sessions) before repeating it."
    }
}

/// Filters for `history`.
public struct HistoryFilter: Sendable {
    public var userId: Int?
    public var since: Date?
    public var action: UserAction?
    public var status: ActionStatus?

    public init(userId: Int? = nil, since: Date? = nil, action: UserAction? = nil, status: ActionStatus? = nil) {
        self.userId = userId
        self.since = since
        self.action = action
        self.status = status
    }

    public func matches(_ entry: HistoryEntry) -> Bool {
        if let userId, entry.target?.userId != userId { return false }
        if let since, let time = ECGridDate(parsing: entry.time), time.date < since { return false }
        if let action, entry.action != action.historyName { return false }
        if let status, entry.status != status { return false }
        return true
    }
}

extension HistoryStore {
    /// Matching entries, newest first.
    public func entries(_ filter: HistoryFilter = HistoryFilter()) throws -> [HistoryEntry] {
        HistoryEntry.entries(from: try lines()).filter(filter.matches).reversed()
    }

    /// Intents left without an outcome by runs that have ended (crashed, killed, cut off).
    /// Each gets an `outcome: unknown` record now, so it is reported once and the history
    /// says so for good; the closed entries are returned for the operator to check. When the
    /// file's end does not match its tip, a discontinuity is recorded first, and intents before
    /// it are not closed (their outcome may have been cut): they are returned once, with the
    /// status `missing`.
    ///
    /// The records it appends are copied to `syslog` too, the discontinuity above all.
    public func closeAbandonedIntents(forwardingTo syslog: SyslogForwarder? = nil) throws -> [HistoryEntry] {
        var written: [HistoryRecord] = []
        defer {
            for record in written {
                if let syslog, let line = try? Self.encode(record) { _ = syslog.send(record, line: line, file: path) }
            }
        }
        return try withLockedFile { descriptor in
            // First the file's end against the tip: a cut is recorded before anything else.
            var check = HistoryAppend(record: nil, discontinuity: nil, warnings: [])
            _ = try continuity(descriptor, into: &check)
            if let cut = check.discontinuity { written.append(cut) }
            let (candidates, cut) = Self.openIntents(in: try Self.readAll(descriptor, path: path))
            var entries = HistoryEntry.entries(from: candidates)
            for position in entries.indices where cut.contains(entries[position].actionId) && entries[position].status == .unknown {
                entries[position].status = .missing
            }
            // Outcomes that may have been cut are never invented; they are reported once, by the
            // run that found the cut.
            let missing = check.discontinuity == nil ? [] : entries.filter { $0.status == .missing }
            let abandoned = entries.filter { $0.status == .unknown && $0.result == nil }
            for entry in abandoned {
                let appended = try appendLocked(descriptor) { seq, prev in
                    HistoryRecord(
                        v: HistoryRecord.formatVersion, seq: seq, kind: .outcome, actionId: entry.actionId,
                        time: ECGridDate(Date()).text, action: entry.action, target: entry.target,
                        actor: OperatorIdentity.local(), process: .current, profile: entry.profile,
                        baseURL: entry.baseURL, reason: entry.reason,
                        result: OutcomeDetails(status: .unknown, explanation:
                            "The run that sent it ended before recording the answer (crash, kill or lost connection). "
                            + "Check the user on the server before repeating the action."),
                        recoveredTornLineAt: nil, prev: prev, playbook: entry.playbook, key: entry.key)
                }
                written += [appended.discontinuity, appended.record].compactMap { $0 }
            }
            return abandoned + missing
        }
    }

    /// The intents without an outcome, in file order, and the action IDs of those a
    /// discontinuity followed (their outcome may have been cut). Records are paired by their
    /// heads, read from the bytes, and only the open intents are decoded: every command runs
    /// this at start, so a long history costs a scan, not a decode of every record.
    static func openIntents(in bytes: [UInt8]) -> (lines: [HistoryLine], cut: Set<String>) {
        var lines = HistoryLine.split(bytes, decode: false)
        var open: [String: Int] = [:]
        var cut: Set<String> = []
        let decoder = JSONDecoder()
        for index in lines.indices {
            var head = lines[index].head
            if head == nil {
                lines[index].record = try? decoder.decode(HistoryRecord.self, from: Data(lines[index].bytes))
                head = lines[index].record.map { ($0.kind, $0.actionId) }
            }
            guard let head else { continue }
            switch head.kind {
            case .intent: open[head.actionId] = index
            case .outcome:
                open[head.actionId] = nil
                cut.remove(head.actionId)
            case .discontinuity: cut.formUnion(open.keys)
            case .observation: continue
            }
        }
        let candidates = open.values.sorted().map { index in
            var line = lines[index]
            if line.record == nil { line.record = try? decoder.decode(HistoryRecord.self, from: Data(line.bytes)) }
            return line
        }
        return (candidates, cut)
    }
}
