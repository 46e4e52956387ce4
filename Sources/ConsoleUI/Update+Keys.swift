import ECGridKit

/// Keys in the main view: each goes through the binding table, the one that drives the hint
/// bar and help too.
extension ConsoleState {
    mutating func handle(_ key: Key) -> [Effect] {
        // Keys act only on what is drawn: the too-small screen has a key map of its own.
        guard Layout.fits(width: width, height: height) else { return handleTooSmall(key) }
        if let dialog { return handle(key, in: dialog) }
        if filterEditing { return handleFilter(key) }
        guard let binding = KeyBindings.binding(for: key) else { return [] }
        if let reason = binding.disabledReason(self) {
            status = StatusLine("\(binding.keyLabel): \(reason).", .warning)
            return []
        }
        return dispatch(binding.command)
    }

    /// Does what a main-view command does (the binding table has said it is enabled).
    mutating func dispatch(_ command: Command) -> [Effect] {
        switch command {
        case .moveUp: move(by: -1)
        case .moveDown: move(by: 1)
        case .pageUp: move(by: -max(1, userRows - 1))
        case .pageDown: move(by: max(1, userRows - 1))
        case .home: move(to: 0)
        case .end: move(to: Int.max)
        case .filter:
            filterEditing = true
            focus = .users
        case .find: dialog = .find(FindDialog())
        case .record: return readRecord()
        case .copyID: return copySelectedID()
        case .copyPane: return copyDetailPane()
        case .mark:
            if let user = selectedUser {
                if marked.remove(user.userId) == nil { marked.insert(user.userId) }
                move(by: 1)
            }
        case .reset: return openConfirmation(.resetSessions)
        case .rotateKey: return openConfirmation(.rotateKey)
        case .terminate: return openConfirmation(.terminate)
        case .login: openLogin(reason: "Log in again to renew your session.")
        case .nextPane: focus = Pane(rawValue: (focus.rawValue + 1) % Pane.allCases.count) ?? .users
        case .previousPane: focus = Pane(rawValue: (focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count) ?? .users
        case .reload: return reload()
        case .help: dialog = .help(scroll: 0)
        case .quit: return quit()
        case .cancel: return cancel()
        }
        return []
    }

    /// Enter: reads the selected user from the server for the record pane.
    mutating func readRecord() -> [Effect] {
        guard let user = selectedUser else { return [] }
        let previous = record?.request
        let request = takeRequest()
        record = RecordView(request: request, userId: user.userId, read: .reading)
        // The pane shows one subject: an action's response about other users gives way.
        if let shown = response, !shown.inFlight, !shown.userIds.contains(user.userId) { response = nil }
        detailScroll = 0
        return (previous.map { [Effect.cancelRead(request: $0)] } ?? []) + [.readTargets(request: request, userIds: [user.userId])]
    }

    mutating func reload() -> [Effect] {
        let old = loadGeneration
        loadGeneration += 1
        // A reload of a reload keeps the list and state from before the first.
        if !staleRows && listBeforeReload == nil { loadBeforeReload = load }
        load = .loading(pages: 0)
        reselect = selectedUser?.userId
        // The rows stay, marked stale, until the first new page replaces them.
        staleRows = !users.isEmpty
        status = StatusLine(
            staleRows ? "Reloading users\(glyphs.ellipsis) the rows shown are from before (stale) until the first page "
                + "arrives; Esc keeps them." : "Reloading users\(glyphs.ellipsis)",
            during: .loading)
        return [.cancelLoad(generation: old), .loadUsers(generation: loadGeneration), .loadHistory]
    }

    mutating func quit() -> [Effect] {
        guard actionsInFlight == 0 else {
            dialog = .quitConfirm
            return []
        }
        return [.quit]
    }

    /// Esc in the main view: cancels what is pending and says so, else clears the filter.
    mutating func cancel() -> [Effect] {
        if let pending = record, pending.read == .reading {
            record = nil
            endWork(.request)
            status = StatusLine("Read of user \(pending.userId) cancelled; nothing more will be shown for it.")
            return [.cancelRead(request: pending.request)]
        } else if staleRows || listBeforeReload != nil, case .loading = load {
            // A reload in progress: the list as it was before F5, and how loading stood.
            if let before = listBeforeReload { restoreList(before) }
            staleRows = false
            listBeforeReload = nil
            load = loadBeforeReload ?? .done
            loadBeforeReload = nil
            status = StatusLine("Reload cancelled: the list is as it was before F5.")
            return [.cancelLoad(generation: loadGeneration)]
        } else if !filter.isEmpty {
            let selected = selectedUser?.userId
            filterField = TextField(limit: filterField.limit)
            refilter(keeping: selected)
            status = StatusLine("Filter cleared.")
        } else if case .loading = load {
            load = .stopped
            status = StatusLine("Loading stopped; F5 loads again.", .warning)
            return [.cancelLoad(generation: loadGeneration)]
        }
        return []
    }

    mutating func move(by delta: Int) {
        switch focus {
        case .users: select(selection + delta)
        case .detail: detailScroll = max(0, detailScroll + delta)
        case .history: historyScroll = max(0, min(max(0, history.count - 1), historyScroll + delta))
        }
    }

    mutating func move(to index: Int) {
        switch focus {
        case .users: select(index == Int.max ? visible.count - 1 : index)
        case .detail: detailScroll = index == Int.max ? 1000 : 0
        case .history: historyScroll = index == Int.max ? max(0, history.count - 1) : 0
        }
    }

    /// Keys while `/` is typed, from the filter's binding table.
    mutating func handleFilter(_ key: Key) -> [Effect] {
        let selected = selectedUser?.userId
        switch DialogMode.filter.command(for: key) {
        case .confirm?:
            filterEditing = false
        case .cancel?:
            filterEditing = false
            filterField = TextField(limit: filterField.limit)
            refilter(keeping: selected)
        case .scroll?:
            return dispatch(KeyBindings.binding(for: key)?.command ?? .moveDown)
        case .type?:
            let previous = filter
            guard filterField.apply(key) == .changed else { break }
            // Typing narrows the matches of before; an erase searches again.
            refilter(keeping: selected, previousFilter: key == .backspace ? nil : previous)
        default:
            break
        }
        return []
    }

    /// The keys of the "terminal too small" screen: q and Ctrl-C quit (asking first, once the
    /// screen is large enough to ask, while an action is in flight); nothing else acts, so no
    /// key reaches a dialog the operator cannot see.
    mutating func handleTooSmall(_ key: Key) -> [Effect] {
        guard key == .character("q") || key == .ctrl("c"), dialog != .quitConfirm else { return [] }
        return quit()
    }
}

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
