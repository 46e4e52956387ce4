import ECGridKit
import IncidentLog

/// A user's playbook that an earlier run left unfinished (an SSH drop, a `kill -9`, a full
/// disk, a step that stopped it), as the history tells it: the plan, and how each step last
/// ended. `Containment.resume` finishes it.
package struct UnfinishedPlaybook: Sendable {
    /// The plan as recorded (its id is kept: the records that finish it carry it too).
    package var plan: ContainmentPlan
    package var userId: Int
    /// The user as re-read when the playbook began.
    package var target: TargetSnapshot?
    /// When and by whom it began.
    package var startedAt: String
    package var startedBy: OperatorIdentity
    /// How each step last ended; a step absent here never began.
    package var stepStatus: [ContainmentStep: ActionStatus]
    /// How each key deletion last ended, by key ID.
    package var keyStatus: [Int: ActionStatus]
    /// How the playbook itself last ended (`unknown` after a crash, the status of the step
    /// that stopped it otherwise).
    package var status: ActionStatus

    /// True when finishing it sets a password (its password step is chosen and not done).
    package var needsPassword: Bool { plan.steps.contains(.password) && stepStatus[.password] != .succeeded }

    /// One line for a person: `user 40011 (ingrid.brennan): contain INC-7 by alice@jump1 at …;
    /// password succeeded, sessions OUTCOME UNKNOWN, keys not run`.
    package var summary: String {
        "user \(userId)" + (target?.login.map { " (\($0))" } ?? "") + ": " + progress
    }

    /// The summary without the user: `contain INC-7 by alice@jump1 at …; password succeeded, …`.
    package var progress: String {
        let steps = plan.steps.map { step in "\(step.rawValue) " + (stepStatus[step]?.shown ?? "not run") }
        return "contain" + (plan.reason.map { " \($0)" } ?? "") + " by \(startedBy.localUser)@\(startedBy.host) at "
            + "\(startedAt); " + steps.joined(separator: ", ")
    }
}

/// Reads the containments out of a history.
package enum ContainmentHistory {
    /// The playbooks left unfinished on `baseURL`, oldest first: a user's latest `contain`
    /// entry of a playbook that did not succeed, unless a later containment of the same user
    /// succeeded (it superseded this one). `entries` oldest first, as `HistoryEntry.entries`
    /// gives them. Playbooks whose process still runs (`in-flight`) are left out: they are
    /// not unfinished, they are running.
    package static func unfinished(in entries: [HistoryEntry], baseURL: String) -> [UnfinishedPlaybook] {
        let ours = entries.filter { $0.baseURL == baseURL && $0.playbook != nil }
        var latest: [String: HistoryEntry] = [:]
        var order: [String] = []
        var lastSuccess: [Int: Int] = [:]
        for (position, entry) in ours.enumerated() where entry.action == Containment.historyName {
            guard let userId = entry.target?.userId, let id = entry.playbook?.id else { continue }
            let key = "\(id) \(userId)"
            if latest[key] == nil { order.append(key) }
            latest[key] = entry
            if entry.status == .succeeded { lastSuccess[userId] = position }
        }
        var found: [UnfinishedPlaybook] = []
        for key in order {
            guard let entry = latest[key], let mark = entry.playbook, let userId = entry.target?.userId else { continue }
            guard entry.status != .succeeded, entry.status != .inFlight else { continue }
            let position = ours.firstIndex { $0.actionId == entry.actionId } ?? 0
            if let success = lastSuccess[userId], success > position { continue }
            let steps = ours.filter { $0.playbook?.id == mark.id && $0.target?.userId == userId && $0.playbook?.step != nil }
            var stepStatus: [ContainmentStep: ActionStatus] = [:]
            var keyStatus: [Int: ActionStatus] = [:]
            for step in steps {
                guard let name = step.playbook?.step, let which = ContainmentStep(rawValue: name) else { continue }
                if which == .keys, let keyId = step.key?.keyId {
                    keyStatus[keyId] = step.status
                    // The keys step as a whole: the worst of its deletions, a 404 counting as gone.
                    let gone = step.result?.httpStatus == 404
                    let status: ActionStatus = gone ? .succeeded : step.status
                    if stepStatus[.keys] == nil || status != .succeeded { stepStatus[.keys] = status }
                } else if which != .keys {
                    stepStatus[which] = step.status
                }
            }
            // A keys step whose every deletion succeeded may still have left keys (made later,
            // or the run ended between two): only the playbook's own success closes it.
            if stepStatus[.keys] == .succeeded, entry.status != .succeeded { stepStatus[.keys] = nil }
            let plan = ContainmentPlan(
                steps: mark.steps.compactMap(ContainmentStep.init(rawValue:)), notice: entry.notice, reason: entry.reason,
                playbookId: mark.id)
            found.append(UnfinishedPlaybook(
                plan: plan, userId: userId, target: entry.target, startedAt: entry.time, startedBy: entry.actor,
                stepStatus: stepStatus, keyStatus: keyStatus, status: entry.status))
        }
        return found
    }
}
