import ECGridKit
import Foundation

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
