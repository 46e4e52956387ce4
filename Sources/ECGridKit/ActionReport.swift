/// One state-changing action on one user as it ended: what the client saw and what the history
/// holds of it. The one report type of the tool: the command line prints it (table, `--json`),
/// the console shows it (header, response pane), whichever of the three actions it was.
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

/// What an action in progress reports while it runs, in order: retries as they are scheduled,
/// then one `finished` per user. Delivered as values (the console turns each into a message),
/// never through a callback rewired on a client.
public enum ActionEvent: Sendable {
    /// A request of this action is being sent again (only where `ResendRule` allows it).
    case retrying(RetryEvent)
    /// One user's action ended.
    case finished(ActionReport)
}
