import ECGridKit

extension ConsoleState {
    /// The effects that start a session: who am I, the users, the history.
    package mutating func start() -> [Effect] {
        loadGeneration += 1
        load = .loading(pages: 0)
        return [.loadOperator, .loadUsers(generation: loadGeneration), .loadHistory]
    }

    /// Applies one message and returns the effects to run: the only way the state changes.
    @discardableResult
    package mutating func update(_ message: Message) -> [Effect] {
        switch message {
        case .key(let key):
            return handle(key)
        case .resize(let newWidth, let newHeight):
            width = newWidth
            height = newHeight
            keepSelectionVisible()
        case .operatorLoaded(let result):
            operatorLoaded(result)
        case .usersLoaded(let generation, let batch, let pages, let done):
            usersLoaded(generation: generation, batch, pages: pages, done: done)
        case .usersFailed(let generation, let failure):
            usersFailed(generation: generation, failure)
        case .targetRead(let request, let userId, let result):
            targetRead(request: request, userId: userId, result)
        case .actionFinished(let reports):
            return actionFinished(reports)
        case .retrying(let event):
            retrying(event)
        case .found(let request, let query, let result):
            found(request: request, query: query, result)
        case .loggedIn(let request, let result):
            return loggedIn(request: request, result)
        case .historyLoaded(.success(let items)):
            history = items
            historyFailure = nil
            historyScroll = min(historyScroll, max(0, items.count - 1))
        case .historyLoaded(.failure(let failure)):
            historyFailure = failure
        case .abandonedActions(let items):
            guard !items.isEmpty else { return [] }
            status = StatusLine(
                "\(items.count) earlier action(s) ended without a recorded answer: marked OUTCOME UNKNOWN in history. Check them.",
                .warning)
            return [.loadHistory]
        case .notice(let text):
            status = StatusLine(text, .info)
        }
        return []
    }

    /// Clears a transient notice about `work` now that it ended.
    mutating func endWork(_ work: StatusLine.Work) {
        if status?.during == work { status = nil }
    }

    /// Opens the log-in dialog when a login session ended or was revoked (never for an API key).
    mutating func offerLogin(after failure: Failure) {
        guard context.loginSession, failure.needsLogin else { return }
        if case .login? = dialog { return }
        openLogin(reason: "Your login session ended or was revoked (\(failure.errorCode ?? "401")): someone may have reset "
            + "your sessions. Log in again to carry on; nothing else is lost.")
    }

    mutating func openLogin(reason: String) {
        guard context.loginSession else { return }
        dialog = .login(LoginDialog(login: operatorUser?.login ?? "", reason: reason))
    }

    /// A new request number.
    mutating func takeRequest() -> Int {
        defer { nextRequest += 1 }
        return nextRequest
    }
}
