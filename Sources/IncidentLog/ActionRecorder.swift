import ECGridKit
import Foundation
import Synchronization

/// Writes the history of this run's actions: an intent before each state-changing request,
/// an outcome after it. Every record carries the operator, the profile and the base URL.
public final class ActionRecorder: Sendable {
    public let store: HistoryStore
    public let profile: String?
    public let baseURL: String
    private let actor: Mutex<OperatorIdentity>
    private let syslog: SyslogForwarder?
    private let warnings: Mutex<[String]>

    public init(store: HistoryStore, operator: OperatorIdentity, profile: String?, baseURL: String, syslog: SyslogForwarder? = nil) {
        self.store = store
        self.profile = profile
        self.baseURL = baseURL
        self.actor = Mutex(`operator`)
        self.syslog = syslog
        self.warnings = Mutex([])
    }

    /// Records the ECGrid user the credential belongs to, once known.
    public func setAPIUser(_ user: User) {
        actor.withLock { $0.apiUser = OperatorIdentity.APIUser(user) }
    }

    public var operatorIdentity: OperatorIdentity { actor.withLock { $0 } }

    /// What went wrong without blocking an action since the last call: syslog copies that
    /// failed, a tip that could not be written, a discontinuity found before an append.
    public func takeWarnings() -> [String] { warnings.withLock { list in defer { list = [] }; return list } }

    /// Appends and flushes the intent record; throws when it could not (then the request must
    /// not be sent). A containment's records carry their `playbook`; a key deletion its `key`;
    /// a notice its text.
    @discardableResult
    public func intent(
        action: String, target: TargetSnapshot, reason: String?, actionId: String = UUID().uuidString.lowercased(),
        playbook: PlaybookMark? = nil, key: KeySnapshot? = nil, notice: String? = nil
    ) throws -> HistoryRecord {
        try write(Entry(
            kind: .intent, actionId: actionId, action: action, target: target, reason: reason, playbook: playbook, key: key,
            notice: notice))
    }

    /// Appends and flushes the outcome record of an intent (with its playbook and key); an
    /// `observation` goes with a containment's own outcome (what the verifying read found).
    @discardableResult
    public func outcome(of intent: HistoryRecord, _ result: OutcomeDetails, observation: Observation? = nil) throws -> HistoryRecord {
        try write(Entry(
            kind: .outcome, actionId: intent.actionId, action: intent.action, target: intent.target, reason: intent.reason,
            result: result, playbook: intent.playbook, key: intent.key, notice: intent.notice, observation: observation))
    }

    /// Appends and flushes an observation: what a read found about a user after a containment
    /// (`action` says which read: `verify`, `watch`, `check`).
    @discardableResult
    public func observation(
        _ observation: Observation, action: String, target: TargetSnapshot, reason: String?, playbook: PlaybookMark?
    ) throws -> HistoryRecord {
        try write(Entry(
            kind: .observation, actionId: UUID().uuidString.lowercased(), action: action, target: target, reason: reason,
            playbook: playbook, observation: observation))
    }

    /// What a record says, before the store numbers and links it.
    private struct Entry {
        var kind: HistoryRecord.Kind
        var actionId: String
        var action: String
        var target: TargetSnapshot?
        var reason: String?
        var result: OutcomeDetails?
        var playbook: PlaybookMark?
        var key: KeySnapshot?
        var notice: String?
        var observation: Observation?
    }

    private func write(_ entry: Entry) throws -> HistoryRecord {
        let identity = operatorIdentity
        let appended = try store.appendReporting { seq, prev in
            HistoryRecord(
                v: HistoryRecord.formatVersion, seq: seq, kind: entry.kind, actionId: entry.actionId, time: ECGridDate(Date()).text,
                action: entry.action, target: entry.target, actor: identity, process: .current, profile: profile,
                baseURL: baseURL, reason: entry.reason, result: entry.result,
                recoveredTornLineAt: nil, prev: prev, playbook: entry.playbook, key: entry.key, notice: entry.notice,
                observation: entry.observation)
        }
        guard let record = appended.record else {
            throw HistoryError(path: store.path, operation: "append", reason: "no record was written")
        }
        if let cut = appended.discontinuity {
            warnings.withLock {
                $0.append("the history did not end as its tip said (\(cut.discontinuity?.summary ?? "changed")); "
                    + "recorded as a discontinuity at sequence \(cut.seq)")
            }
        }
        if !appended.warnings.isEmpty { warnings.withLock { $0.append(contentsOf: appended.warnings) } }
        for written in [appended.discontinuity, record].compactMap({ $0 }) { forward(written) }
        return record
    }

    /// Copies a record to the system log; a failure is a warning.
    private func forward(_ record: HistoryRecord) {
        if let syslog, let line = try? HistoryStore.encode(record) {
            if let failure = syslog.send(record, line: line, file: store.path) {
                warnings.withLock { $0.append("syslog copy failed: \(failure)") }
            }
        }
    }
}
