import ECGridKit
import IncidentLog

/// How one step of a containment ended for one user: its status (nil when it was not run),
/// the requests it sent (a key deletion each, for the keys step) and, in a sentence, what
/// happened.
package struct StepResult: Sendable {
    package var step: ContainmentStep
    /// `succeeded`, `failed`, `unknown` or `not-sent`; nil when the step was not run.
    package var status: ActionStatus?
    /// The step's requests as they ended, in order.
    package var reports: [ActionReport]
    /// What happened, in words (`3 keys deleted`, `not run: the password step is unknown`).
    package var note: String
    /// True when an earlier run did it (a `--resume` does not send it again).
    package var earlier: Bool

    package init(step: ContainmentStep, status: ActionStatus?, reports: [ActionReport] = [], note: String, earlier: Bool = false) {
        self.step = step
        self.status = status
        self.reports = reports
        self.note = note
        self.earlier = earlier
    }

    /// The status as the report prints it: `succeeded`, `FAILED`, `OUTCOME UNKNOWN`,
    /// `NOT SENT`, `not run`.
    package var shown: String { status?.shown ?? "not run" }

    /// What the history could not record of this step.
    package var historyFailures: [String] { reports.compactMap(\.historyFailure) }
}

/// What a containment did to one user, step by step, and what the verifying read found.
package struct ContainmentReport: Sendable {
    package var userId: Int
    /// The user as re-read before the first step (nil when that read failed: nothing was sent).
    package var target: User?
    /// One result a chosen step, in the playbook's order.
    package var steps: [StepResult]
    /// What the read after the steps found (nil when it could not be made).
    package var verification: Observation?
    /// The playbook's id and the id of this user's `contain` records.
    package var playbookId: String
    package var actionId: String?
    /// Where the new password went, in words (`written to /root/pw.tsv`); never the password.
    package var passwordDelivery: String?
    /// Why nothing was done at all (the user could not be re-read, the history not written).
    package var refusal: String?
    /// What the history could not record.
    package var historyFailures: [String]

    package init(
        userId: Int, target: User?, steps: [StepResult], verification: Observation?, playbookId: String, actionId: String?,
        passwordDelivery: String? = nil, refusal: String? = nil, historyFailures: [String] = []
    ) {
        self.userId = userId
        self.target = target
        self.steps = steps
        self.verification = verification
        self.playbookId = playbookId
        self.actionId = actionId
        self.passwordDelivery = passwordDelivery
        self.refusal = refusal
        self.historyFailures = historyFailures
    }

    /// Where the whole containment of this user stands: `succeeded` only when every chosen step
    /// did; else the status of the step that stopped it (a lost answer is never a failure).
    package var status: ActionStatus {
        if refusal != nil { return .notSent }
        guard let stop = steps.first(where: { $0.status != .succeeded }) else { return .succeeded }
        return stop.status ?? .notSent
    }

    /// The step that stopped the playbook, if one did.
    package var stoppedAt: StepResult? { steps.first { $0.status != .succeeded } }

    /// What to do next, in a sentence that never invites a blind repeat.
    package var next: String {
        if let refusal { return "Nothing was sent (\(refusal)). Check the ID and run contain again." }
        guard let stop = stoppedAt else {
            if let verification, verification.alarming {
                return "Every step succeeded, but \(verification.note) Someone may still hold a credential: "
                    + "check again, and escalate (terminate) if it persists."
            }
            return passwordDelivery == nil && steps.contains(where: { $0.step == .password && !$0.earlier })
                ? "Contained. The new password could not be delivered: set another with 'contain \(userId) --steps password'."
                : "Contained. Give the user the new password through a channel the attacker cannot read."
        }
        switch stop.status {
        case .unknown?:
            return "The \(stop.step.rawValue) step's answer was lost: the server may have acted. Run 'ecgrid-console "
                + "contain --resume': it checks what the server can tell and finishes the playbook without repeating a "
                + "step that was done."
        case .failed?:
            return "The server refused the \(stop.step.rawValue) step (see why above). Mend that, then run "
                + "'ecgrid-console contain --resume' to finish the playbook."
        default:
            return "The \(stop.step.rawValue) step was not sent (see why above); nothing after it ran. Run "
                + "'ecgrid-console contain --resume' once that is mended."
        }
    }
}

/// What a containment in progress tells its caller, as it happens.
package enum ContainmentEvent: Sendable {
    /// A request is being sent again (only where `ResendRule` allows it).
    case retrying(RetryEvent)
    /// One step of one user ended.
    case stepFinished(userId: Int, StepResult)
    /// One user's playbook ended (its verification included).
    case finished(ContainmentReport)
}

/// The one place the operator chose for new passwords: the console's shown-once dialog, the
/// terminal, or a file made for it. The containment hands each password here the moment its
/// step succeeds, and keeps it nowhere else.
package protocol PasswordDelivery: Sendable {
    /// Hands over `password`, the new password of `user`; returns where it went, in words
    /// (never the password). Throws when it could not be delivered.
    func deliver(_ password: Secret, for user: User) throws -> String
}
