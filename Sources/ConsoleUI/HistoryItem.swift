import ECGridKit

/// One action as the history pane and the confirmation's recent-actions warning show it: built
/// by the runtime from the history store's entries, so the console's core needs no store.
public struct HistoryItem: Sendable, Equatable {
    /// The user an action was about.
    public struct Target: Sendable, Equatable {
        public var userId: Int
        public var login: String?

        public init(userId: Int, login: String? = nil) {
            self.userId = userId
            self.login = login
        }
    }

    /// Who did it: the local account, the host, and the SSH client's address when there was one.
    public struct Actor: Sendable, Equatable {
        public var localUser: String
        public var host: String
        public var sshClient: String?

        public init(localUser: String, host: String, sshClient: String? = nil) {
            self.localUser = localUser
            self.host = host
            self.sshClient = sshClient
        }

        /// `alice@jump1`, with ` from 192.0.2.7` when the SSH client is known.
        public var text: String { "\(localUser)@\(host)" + (sshClient.map { " from \($0)" } ?? "") }
    }

    /// What the server answered, as recorded.
    public struct Answer: Sendable, Equatable {
        public var httpStatus: Int?
        public var errorCode: String?
        /// The kind of error when no HTTP answer came (`timeout`, …).
        public var errorKind: String?
        public var latencyMs: Int?
        public var attempts: Int?
        public var sessionsBefore: Int?
        public var sessionsAfter: Int?

        public init(
            httpStatus: Int? = nil, errorCode: String? = nil, errorKind: String? = nil, latencyMs: Int? = nil,
            attempts: Int? = nil, sessionsBefore: Int? = nil, sessionsAfter: Int? = nil
        ) {
            self.httpStatus = httpStatus
            self.errorCode = errorCode
            self.errorKind = errorKind
            self.latencyMs = latencyMs
            self.attempts = attempts
            self.sessionsBefore = sessionsBefore
            self.sessionsAfter = sessionsAfter
        }
    }

    /// UTC time of the intent, as recorded (`2026-11-24T21:50:00.000Z`).
    public var time: String
    /// The action's name as the history records it (`reset-sessions`); kept for one this
    /// version does not know.
    public var actionName: String
    /// The user acted on (nil for a record without one).
    public var target: Target?
    /// Who did it.
    public var actor: Actor
    /// The reason or ticket given.
    public var reason: String?
    /// Where the action stands, in the one set of words.
    public var status: ActionStatus
    /// Nil while no outcome is recorded.
    public var answer: Answer?

    public init(
        time: String, actionName: String, target: Target?, actor: Actor, reason: String?, status: ActionStatus,
        answer: Answer? = nil
    ) {
        self.time = time
        self.actionName = actionName
        self.target = target
        self.actor = actor
        self.reason = reason
        self.status = status
        self.answer = answer
    }

    /// The action, when this version knows it.
    public var action: UserAction? { UserAction(historyName: actionName) }
    /// The action's short word (`reset`), else the recorded name.
    public var verb: String { action?.verb ?? actionName }
}
