import ECGridKit
import Foundation

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

/// The answers of the effects that read: who am I, the list, re-reads, finds, log-ins, retries.
extension ConsoleState {
    mutating func operatorLoaded(_ result: Result<User, Failure>) {
        switch result {
        case .success(let user):
            operatorUser = user
            operatorFailure = nil
        case .failure(let failure):
            operatorFailure = failure
            status = StatusLine("Who am I failed: \(failure.explanation)", .failure)
            offerLogin(after: failure)
        }
    }

    mutating func usersLoaded(generation: Int, _ batch: [User], pages: Int, done: Bool) {
        guard generation == loadGeneration else { return }
        if staleRows {
            // The reload's first page: the rows from before it go now, not earlier (kept
            // aside until the reload ends, for Esc to put back).
            staleRows = false
            listBeforeReload = snapshotList()
            clearUsers()
        }
        merge(batch)
        if let wanted = reselect, let position = positions[wanted], let index = visible.firstIndex(of: position) {
            select(index)
            reselect = nil
        }
        load = done ? .done : .loading(pages: pages)
        if done {
            endWork(.loading)
            loadBeforeReload = nil
            listBeforeReload = nil
        }
    }

    mutating func usersFailed(generation: Int, _ failure: Failure) {
        guard generation == loadGeneration else { return }
        load = .failed(failure)
        loadBeforeReload = nil
        listBeforeReload = nil
        status = StatusLine("Loading users failed: \(failure.explanation) (F5 retries)", .failure)
        offerLogin(after: failure)
    }

    /// A re-read: of the record shown (Enter), or of a target of the open confirmation.
    mutating func targetRead(request: Int, userId: Int, _ result: Result<User, Failure>) {
        if record?.request == request {
            endWork(.request)
            switch result {
            case .success(let user):
                record?.read = .read(user)
                merge([user])
            case .failure(let failure):
                record?.read = .failed(failure)
                offerLogin(after: failure)
            }
            return
        }
        guard case .confirmAction(var confirm)? = dialog, confirm.request == request else { return }
        if case .success(let user) = result { merge([user]) }
        if confirm.take(userId, result) { endWork(.request) }
        dialog = .confirmAction(confirm)
        if case .failure(let failure) = result { offerLogin(after: failure) }
    }

    mutating func retrying(_ event: RetryEvent) {
        status = StatusLine(
            "\(event.reason): attempt \(event.attempt + 1) in \(ResponseView.seconds(event.delay)) s", .warning,
            during: event.request.hasPrefix("POST /v2/users/list") ? .loading : event.request.hasPrefix("GET") ? .request : .action)
        if response?.inFlight == true { response?.lines.append(ResponseView.retryLine(event)) }
    }

    mutating func found(request: Int, query: String, _ result: Result<[User], Failure>) {
        guard case .find(var find)? = dialog, find.pending == request else { return }
        endWork(.request)
        switch result {
        case .success(let found) where !found.isEmpty:
            merge(found)
            dialog = nil
            if !filter.isEmpty, !found.contains(where: { user in visible.contains { users.ids[$0] == user.userId } }) {
                filterField = TextField(limit: filterField.limit)
                refilter(keeping: nil)
            }
            if let position = positions[found[0].userId], let index = visible.firstIndex(of: position) { select(index) }
            focus = .users
            status = StatusLine("Found \(found.count) user(s) for \"\(query)\".", .success)
        case .success:
            find.pending = nil
            find.failure = Failure(summary: "No match", explanation: "No user has the login \"\(query)\".")
            dialog = .find(find)
        case .failure(let failure):
            find.pending = nil
            find.failure = failure
            dialog = .find(find)
            offerLogin(after: failure)
        }
    }

    mutating func loggedIn(request: Int, _ result: Result<User, Failure>) -> [Effect] {
        guard case .login(var login)? = dialog, login.pending == request else { return [] }
        endWork(.request)
        switch result {
        case .success(let user):
            dialog = nil
            operatorUser = user
            operatorFailure = nil
            status = StatusLine(
                "Logged in again as \(user.login). Nothing was lost: repeat what failed (F5 reloads the list).", .success)
            return [.loadHistory]
        case .failure(let failure):
            login.pending = nil
            login.failure = failure
            dialog = .login(login)
            return []
        }
    }
}
