import ECGridKit

/// One action as the history pane and the confirmation's recent-actions warning show it: built
/// by the runtime from the history store's entries, so the console's core needs no store.
package struct HistoryItem: Sendable, Equatable {
    /// The user an action was about.
    package struct Target: Sendable, Equatable {
        package var userId: Int
        package var login: String?

        package init(userId: Int, login: String? = nil) {
            self.userId = userId
            self.login = login
        }
    }

    /// Who did it: the local account, the host, and the SSH client's address when there was one.
    package struct Actor: Sendable, Equatable {
        package var localUser: String
        package var host: String
        package var sshClient: String?

        package init(localUser: String, host: String, sshClient: String? = nil) {
            self.localUser = localUser
            self.host = host
            self.sshClient = sshClient
        }

        /// `alice@jump1`, with ` from 192.0.2.7` when the SSH client is known.
        package var text: String { "\(localUser)@\(host)" + (sshClient.map { " from \($0)" } ?? "") }
    }

    /// What the server answered, as recorded.
    package struct Answer: Sendable, Equatable {
        package var httpStatus: Int?
        package var errorCode: String?
        /// The kind of error when no HTTP answer came (`timeout`, …).
        package var errorKind: String?
        package var latencyMs: Int?
        package var attempts: Int?
        package var sessionsBefore: Int?
        package var sessionsAfter: Int?

        package init(
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
    package var time: String
    /// The action's name as the history records it (`reset-sessions`); kept for one this
    /// version does not know.
    package var actionName: String
    /// The user acted on (nil for a record without one).
    package var target: Target?
    /// Who did it.
    package var actor: Actor
    /// The reason or ticket given.
    package var reason: String?
    /// Where the action stands, in the one set of words.
    package var status: ActionStatus
    /// Nil while no outcome is recorded.
    package var answer: Answer?

    package init(
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
    package var action: UserAction? { UserAction(historyName: actionName) }
    /// The action's short word (`reset`), else the recorded name.
    package var verb: String { action?.verb ?? actionName }
}
