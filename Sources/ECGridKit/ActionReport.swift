/// One state-changing action on one user as it ended: what the client saw and what the history
/// holds of it. The command line prints it (table, `--json`) and the console shows it (header,
/// response pane), whichever action it was.
public struct ActionReport: Sendable {
    /// What happened (the action, the user before and after, the exchange or the error).
    public var outcome: ActionOutcome
    /// The id shared by the action's intent and outcome records; nil when not even the intent
    /// could be written (then nothing was sent).
    public var actionId: String?
    /// Set when the history could not record the attempt or its outcome (the action itself may
    /// still have happened: `outcome` says).
    public var historyFailure: String?
    /// The reason the operator gave (ticket, incident), as recorded.
    public var reason: String?

    public init(outcome: ActionOutcome, actionId: String?, historyFailure: String? = nil, reason: String? = nil) {
        self.outcome = outcome
        self.actionId = actionId
        self.historyFailure = historyFailure
        self.reason = reason
    }

    /// The action that was performed.
    public var action: UserAction { outcome.action }
    /// Where it stands (see `ActionStatus`).
    public var status: ActionStatus { outcome.status }
}
