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
    /// not be sent).
    @discardableResult
    public func intent(action: String, target: TargetSnapshot, reason: String?, actionId: String = UUID().uuidString.lowercased())
        throws -> HistoryRecord
    {
        try write(kind: .intent, actionId: actionId, action: action, target: target, reason: reason, result: nil)
    }

    /// Appends and flushes the outcome record of an intent.
    @discardableResult
    public func outcome(of intent: HistoryRecord, _ result: OutcomeDetails) throws -> HistoryRecord {
        try write(kind: .outcome, actionId: intent.actionId, action: intent.action, target: intent.target, reason: intent.reason, result: result)
    }

    private func write(
        kind: HistoryRecord.Kind, actionId: String, action: String, target: TargetSnapshot?, reason: String?,
        result: OutcomeDetails?
    ) throws -> HistoryRecord {
        let identity = operatorIdentity
        let appended = try store.appendReporting { seq, prev in
            HistoryRecord(
                v: HistoryRecord.formatVersion, seq: seq, kind: kind, actionId: actionId, time: ECGridDate(Date()).text,
                action: action, target: target, actor: identity, process: .current, profile: profile,
                baseURL: baseURL, reason: reason, result: result,
                recoveredTornLineAt: nil, prev: prev)
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
