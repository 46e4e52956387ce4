import ECGridKit

/// Keys in the open dialog: each dialog's component applies them from its binding table, and
/// the console carries out what it asks.
extension ConsoleState {
    mutating func handle(_ key: Key, in dialog: Dialog) -> [Effect] {
        switch dialog {
        case .help(let scroll):
            self.dialog = Self.helpScroll(after: key, from: scroll).map { .help(scroll: $0) }
        case .login(let login):
            return handleLogin(key, login)
        case .newKey:
            // Only a deliberate Enter or Esc closes it; the key is forgotten with it.
            if DialogMode.newKey.command(for: key) == .cancel {
                self.dialog = nil
                status = StatusLine("The new key was shown once and is not kept.")
            }
        case .quitConfirm:
            switch DialogMode.quit.command(for: key) {
            case .quitAnyway?:
                self.dialog = nil
                quitting = true
                return [.quit]
            case .cancel?:
                self.dialog = nil
            default:
                break
            }
        case .find(let find):
            return handleFind(key, find)
        case .confirmAction(let confirm):
            return handleConfirmation(key, confirm)
        }
        return []
    }

    mutating func handleLogin(_ key: Key, _ login: LoginDialog) -> [Effect] {
        var login = login
        switch login.handle(key) {
        case .stay:
            dialog = .login(login)
        case .cancel(let pending):
            dialog = nil
            guard let pending else {
                status = StatusLine("Not logged in: requests fail until you log in again (L).", .warning)
                return []
            }
            status = StatusLine("Log-in cancelled. Not logged in: requests fail until you log in again (L).", .warning)
            return [.cancelLogin(request: pending)]
        case .submit(let name, let password):
            let request = takeRequest()
            login.pending = request
            login.failure = nil
            dialog = .login(login)
            return [.login(request: request, login: name, password: password)]
        }
        return []
    }

    mutating func handleFind(_ key: Key, _ find: FindDialog) -> [Effect] {
        var find = find
        switch find.handle(key) {
        case .stay:
            dialog = .find(find)
        case .cancel(let pending):
            dialog = nil
            guard let pending else { return [] }
            endWork(.request)
            status = StatusLine("Find of \"\(find.query)\" cancelled.")
            return [.cancelFind(request: pending)]
        case .search(let query):
            let request = takeRequest()
            find.pending = request
            find.failure = nil
            dialog = .find(find)
            return [.find(request: request, query: query)]
        }
        return []
    }
}
