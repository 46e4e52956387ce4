/// What happened when a state-changing action was performed on one user.
public struct ActionOutcome: Sendable {
    public var action: UserAction
    public var userId: Int
    /// The user as re-read just before the action (nil when that read failed).
    public var before: User?
    /// The user as re-read after a successful action (nil when not read).
    public var after: User?
    /// True when the request went out.
    public var sent: Bool
    /// True when the server confirmed the action.
    public var succeeded: Bool
    /// The exchange (status, envelope, latency, attempts), when the request went out. For a
    /// key rotation it never holds the key.
    public var exchange: ExchangeRecord?
    /// Why it failed, when it did.
    public var error: ECGridError?
    /// The new API key of a successful rotation: shown once to the operator, never recorded.
    public var newKey: Secret?
    /// The key a `deleteKey` was about (its string is never recorded or shown).
    public var key: APIKeyRecord?

    public init(
        action: UserAction = .resetSessions, userId: Int, before: User? = nil, after: User? = nil, sent: Bool,
        succeeded: Bool, exchange: ExchangeRecord? = nil, error: ECGridError? = nil, newKey: Secret? = nil
    ) {
        self.action = action
        self.userId = userId
        self.before = before
        self.after = after
        self.sent = sent
        self.succeeded = succeeded
        self.exchange = exchange
        self.error = error
        self.newKey = newKey
    }

    /// True when the request went out and no usable answer came back (or the server failed):
    /// the server may or may not have acted, and the operator must check before repeating.
    public var outcomeUnknown: Bool { sent && !succeeded && (error?.mayHaveActed ?? false) }

    /// The outcome in one word, as the history and `--json` name it: `succeeded`, `failed`,
    /// `unknown` or `not-sent`.
    public var outcomeWord: String { status.rawValue }

    /// Live sessions before → after, when the server reports them.
    public var sessionsBefore: Int? { before?.openSessions }
    public var sessionsAfter: Int? { after?.openSessions }
}
