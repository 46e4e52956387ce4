import ECGridKit

/// What happened: a key, a resize, or the answer to an effect.
package enum Message: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case operatorLoaded(Result<User, Failure>)
    /// A batch of users from the walk over pages; `done` on the last.
    case usersLoaded(generation: Int, users: [User], pages: Int, done: Bool)
    case usersFailed(generation: Int, Failure)
    /// One target of the confirmation dialog, re-read.
    case targetRead(request: Int, userId: Int, Result<User, Failure>)
    /// A state-changing action (`Effect.act`) finished: one report per user, in the order asked.
    case actionFinished([ActionReport])
    /// A request is being sent again.
    case retrying(RetryEvent)
    case found(request: Int, query: String, Result<[User], Failure>)
    case historyLoaded(Result<[HistoryItem], Failure>)
    /// The answer to logging in again: the operator's user record.
    case loggedIn(request: Int, Result<User, Failure>)
    /// Earlier runs left actions without an outcome (shown once at start).
    case abandonedActions([HistoryItem])
    /// A notice for the status line from whoever started the console (a note about the
    /// connection, say).
    case notice(String)
}

/// Work for the runtime to do off the UI loop; the answers come back as messages.
package enum Effect: Sendable, Equatable {
    case loadOperator
    case loadUsers(generation: Int)
    case cancelLoad(generation: Int)
    case readTargets(request: Int, userIds: [Int])
    case cancelRead(request: Int)
    /// Perform a state-changing action on these users, each recorded before it is sent:
    /// answered by one `Message.actionFinished` with a report per user.
    case act(UserAction, userIds: [Int], reason: String?)
    case find(request: Int, query: String)
    case cancelFind(request: Int)
    case loadHistory
    /// Log in again (`POST /v2/auth/login`); the password goes no further than that request.
    case login(request: Int, login: String, password: Secret)
    /// Abandon a log-in in flight (Esc).
    case cancelLogin(request: Int)
    /// Put this text (already sanitised) on the operator's clipboard: the terminal backend
    /// writes `Clipboard.osc52(text)`.
    case copy(text: String)
    /// End the program (the runtime stops its loop after this turn).
    case quit
}
