import ECGridKit
import Foundation
import IncidentLog

extension ConsoleState {
    /// The effects that start a session: who am I, the users, the history.
    public mutating func start() -> [Effect] {
        loadGeneration += 1
        load = .loading(pages: 0)
        return [.loadOperator, .loadUsers(generation: loadGeneration), .loadHistory]
    }

    /// Applies one message and returns the effects to run.
    @discardableResult
    public mutating func update(_ message: Message) -> [Effect] {
        switch message {
        case .key(let key):
            return handle(key)
        case .resize(let newWidth, let newHeight):
            width = newWidth
            height = newHeight
            keepSelectionVisible()
            return []
        case .operatorLoaded(.success(let user)):
            operatorUser = user
            operatorFailure = nil
            return []
        case .operatorLoaded(.failure(let failure)):
            operatorFailure = failure
            status = StatusLine("Who am I failed: \(failure.explanation)", .failure)
            offerLogin(after: failure)
            return []
        case .usersLoaded(let generation, let batch, let pages, let done):
            guard generation == loadGeneration else { return [] }
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
            return []
        case .usersFailed(let generation, let failure):
            guard generation == loadGeneration else { return [] }
            load = .failed(failure)
            loadBeforeReload = nil
            listBeforeReload = nil
            status = StatusLine("Loading users failed: \(failure.explanation) (F5 retries)", .failure)
            offerLogin(after: failure)
            return []
        case .targetRead(let request, _, let result) where record?.request == request:
            endWork(.request)
            switch result {
            case .success(let user):
                record?.read = .read(user)
                merge([user])
            case .failure(let failure):
                record?.read = .failed(failure)
                offerLogin(after: failure)
            }
            return []
        case .targetRead(let request, let userId, let result):
            guard case .confirmReset(var confirm)? = dialog, confirm.request == request else { return [] }
            switch result {
            case .success(let user):
                confirm.reads[userId] = .read(user)
                merge([user])
            case .failure(let failure):
                confirm.reads[userId] = .failed(failure)
            }
            if !confirm.readsPending {
                endWork(.request)
                // The wait the notice spoke of is over; a refusal, if any, is said by the dialog.
                confirm.notice = nil
            }
            dialog = .confirmReset(confirm)
            if case .failure(let failure) = result { offerLogin(after: failure) }
            return []
        case .resetFinished(let results):
            actionsInFlight = max(0, actionsInFlight - 1)
            merge(results.compactMap { $0.outcome.after ?? $0.outcome.before })
            refreshRecord(results.map(\.outcome))
            endWork(.action)
            response = ResponseView.reset(results, glyphs: glyphs)
            status = Self.outcomeStatus("Reset sessions", results.map(\.outcome.word))
            for id in results.filter(\.outcome.succeeded).map(\.outcome.userId) { marked.remove(id) }
            if let error = results.compactMap(\.outcome.error).first { offerLogin(after: Failure(error)) }
            return [.loadHistory]
        case .escalationFinished(let result):
            actionsInFlight = max(0, actionsInFlight - 1)
            let outcome = result.outcome
            merge([outcome.after ?? outcome.before].compactMap { $0 })
            refreshRecord([outcome])
            endWork(.action)
            response = ResponseView.single(result, glyphs: glyphs)
            detailScroll = 0
            status = Self.outcomeStatus("\(outcome.action.title) for \(outcome.userId)", [outcome.word])
            if outcome.succeeded {
                if let key = outcome.newKey {
                    dialog = .newKey(NewKey(userId: outcome.userId, login: outcome.before?.login ?? "", key: key))
                }
            } else if let error = outcome.error {
                offerLogin(after: Failure(error))
            }
            return [.loadHistory]
        case .retrying(let event):
            status = StatusLine(
                "\(event.reason): attempt \(event.attempt + 1) in \(ResponseView.seconds(event.delay)) s", .warning,
                during: event.request.hasPrefix("POST /v2/users/list") ? .loading : event.request.hasPrefix("GET") ? .request : .action)
            if response?.inFlight == true { response?.lines.append(ResponseView.retryLine(event)) }
            return []
        case .found(let request, let query, let result):
            guard case .find(var find)? = dialog, find.pending == request else { return [] }
            endWork(.request)
            switch result {
            case .success(let found) where !found.isEmpty:
                merge(found)
                dialog = nil
                if !filter.isEmpty, !found.contains(where: { user in visible.contains { users.ids[$0] == user.userId } }) {
                    filter = ""
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
            return []
        case .loggedIn(let request, let result):
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
        case .historyLoaded(.success(let entries)):
            history = entries
            historyFailure = nil
            historyScroll = min(historyScroll, max(0, entries.count - 1))
            return []
        case .historyLoaded(.failure(let failure)):
            historyFailure = failure
            return []
        case .abandonedActions(let entries):
            guard !entries.isEmpty else { return [] }
            status = StatusLine(
                "\(entries.count) earlier action(s) ended without a recorded answer: marked OUTCOME UNKNOWN in history. Check them.",
                .warning)
            return [.loadHistory]
        case .statusNote(let text):
            status = StatusLine(text, .info)
            return []
        }
    }

    // MARK: Keys

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
        return perform(binding.action)
    }

    mutating func perform(_ action: Action) -> [Effect] {
        switch action {
        case .moveUp: move(by: -1)
        case .moveDown: move(by: 1)
        case .pageUp: move(by: -max(1, userRows - 1))
        case .pageDown: move(by: max(1, userRows - 1))
        case .home: move(to: 0)
        case .end: move(to: Int.max)
        case .filter:
            filterEditing = true
            focus = .users
        case .find:
            dialog = .find(FindDialog())
        case .record:
            guard let user = selectedUser else { return [] }
            let request = nextRequest
            nextRequest += 1
            let previous = record?.request
            record = RecordView(request: request, userId: user.userId, read: .reading)
            // The pane shows one subject: an action's response about other users gives way.
            if let shown = response, !shown.inFlight, !shown.userIds.contains(user.userId) { response = nil }
            detailScroll = 0
            return (previous.map { [Effect.cancelRead(request: $0)] } ?? []) + [.readTargets(request: request, userIds: [user.userId])]
        case .copyID:
            return copySelectedID()
        case .copyPane:
            return copyDetailPane()
        case .mark:
            if let user = selectedUser {
                if marked.remove(user.userId) == nil { marked.insert(user.userId) }
                move(by: 1)
            }
        case .reset:
            return openConfirmation()
        case .login:
            openLogin(reason: "Log in again to renew your session.")
        case .rotateKey:
            return openConfirmation(.rotateKey)
        case .terminate:
            return openConfirmation(.terminate)
        case .nextPane:
            focus = Pane(rawValue: (focus.rawValue + 1) % Pane.allCases.count) ?? .users
        case .previousPane:
            focus = Pane(rawValue: (focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count) ?? .users
        case .reload:
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
        case .help:
            dialog = .help(scroll: 0)
        case .quit:
            if actionsInFlight > 0 {
                dialog = .quitConfirm
            } else {
                quitting = true
                return [.quit]
            }
        case .cancel:
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
                filter = ""
                refilter(keeping: selected)
                status = StatusLine("Filter cleared.")
            } else if case .loading = load {
                load = .stopped
                status = StatusLine("Loading stopped; F5 loads again.", .warning)
                return [.cancelLoad(generation: loadGeneration)]
            }
        }
        return []
    }

    /// After an action, the record shown (if it is one of the targets) becomes the re-read one.
    mutating func refreshRecord(_ outcomes: [ActionOutcome]) {
        guard let shown = record, let outcome = outcomes.first(where: { $0.userId == shown.userId }),
              let fresh = outcome.after ?? outcome.before
        else { return }
        record?.read = .read(fresh)
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

    /// Opens the confirmation: a reset takes the marked users (or the selected one); the
    /// escalations always take the selected user alone.
    mutating func openConfirmation(_ action: UserAction = .resetSessions) -> [Effect] {
        let selected = selectedUser.map { [$0.userId] } ?? []
        let ids = action != .resetSessions || marked.isEmpty ? selected : users.ids.filter(marked.contains)
        guard !ids.isEmpty else { return [] }
        let request = nextRequest
        nextRequest += 1
        var reads: [Int: TargetRead] = [:]
        for id in ids { reads[id] = .reading }
        dialog = .confirmReset(ConfirmReset(request: request, userIds: ids, reads: reads, action: action))
        return [.readTargets(request: request, userIds: ids)]
    }

    mutating func handleFilter(_ key: Key) -> [Effect] {
        let selected = selectedUser?.userId
        switch key {
        case .enter:
            filterEditing = false
        case .escape:
            filterEditing = false
            filter = ""
            refilter(keeping: selected)
        case .backspace:
            if !filter.isEmpty {
                filter.removeLast()
                refilter(keeping: selected)
            }
        case .up, .down, .pageUp, .pageDown:
            return perform(KeyBindings.binding(for: key)?.action ?? .moveDown)
        default:
            if let character = key.typed, filter.count < 80 {
                let previous = filter
                filter.append(character)
                refilter(keeping: selected, previousFilter: previous)
            }
        }
        return []
    }

    mutating func handle(_ key: Key, in dialog: Dialog) -> [Effect] {
        switch dialog {
        case .help(let scroll):
            switch key {
            case .escape, .character("?"), .character("q"), .enter: self.dialog = nil
            case .down, .character("j"): self.dialog = .help(scroll: scroll + 1)
            case .up, .character("k"): self.dialog = .help(scroll: max(0, scroll - 1))
            case .pageDown: self.dialog = .help(scroll: scroll + 10)
            case .pageUp: self.dialog = .help(scroll: max(0, scroll - 10))
            default: break
            }
            return []
        case .login(var login):
            switch key {
            case .escape:
                self.dialog = nil
                if let pending = login.pending {
                    status = StatusLine("Log-in cancelled. Not logged in: requests fail until you log in again (L).", .warning)
                    return [.cancelLogin(request: pending)]
                }
                status = StatusLine("Not logged in: requests fail until you log in again (L).", .warning)
                return []
            case .tab, .backTab:
                if login.pending == nil { login.field = login.field == .login ? .password : .login }
            case .enter:
                guard login.pending == nil, !login.login.isEmpty, !login.password.isEmpty else { break }
                let request = nextRequest
                nextRequest += 1
                login.pending = request
                login.failure = nil
                let password = Secret(login.password)
                login.password = ""
                self.dialog = .login(login)
                return [.login(request: request, login: login.login, password: password)]
            case .backspace:
                switch login.field {
                case .login: if !login.login.isEmpty { login.login.removeLast() }
                case .password: if !login.password.isEmpty { login.password.removeLast() }
                }
            default:
                guard login.pending == nil, let character = key.typed else { break }
                switch login.field {
                case .login: if login.login.count < 120 { login.login.append(character) }
                case .password: if login.password.count < 200 { login.password.append(character) }
                }
            }
            self.dialog = .login(login)
            return []
        case .newKey:
            // Only a deliberate Enter or Esc closes it; the key is forgotten with it.
            if key == .enter || key == .escape {
                self.dialog = nil
                status = StatusLine("The new key was shown once and is not kept.")
            }
            return []
        case .quitConfirm:
            switch key {
            case .character("y"), .character("Y"):
                self.dialog = nil
                quitting = true
                return [.quit]
            case .character("n"), .character("N"), .escape, .enter:
                self.dialog = nil
            default: break
            }
            return []
        case .find(var find):
            switch key {
            case .escape:
                self.dialog = nil
                guard let pending = find.pending else { return [] }
                endWork(.request)
                status = StatusLine("Find of \"\(find.query)\" cancelled.")
                return [.cancelFind(request: pending)]
            case .enter:
                let query = find.query.trimmingCharacters(in: .whitespaces)
                guard find.pending == nil, !query.isEmpty else { return [] }
                let request = nextRequest
                nextRequest += 1
                find.pending = request
                find.failure = nil
                self.dialog = .find(find)
                return [.find(request: request, query: query)]
            case .backspace:
                if find.pending == nil, !find.query.isEmpty { find.query.removeLast() }
            default:
                if find.pending == nil, let character = key.typed, find.query.count < 80 { find.query.append(character) }
            }
            self.dialog = .find(find)
            return []
        case .confirmReset(var confirm):
            switch key {
            case .escape:
                self.dialog = nil
                status = StatusLine("Reset cancelled; nothing was sent.")
                return [.cancelRead(request: confirm.request)]
            case .enter:
                guard confirm.canConfirm, confirmationFullyDrawn else {
                    // Enter that cannot act says why, in the dialog, and does nothing else.
                    if confirm.canConfirm {
                        status = StatusLine("Enlarge the window: Enter acts only when the whole confirmation is visible.", .warning)
                        confirm.notice = "Enlarge the window: the whole confirmation must be visible before Enter acts."
                    } else if confirm.readsPending {
                        confirm.notice = "Waiting for the server's re-read: Enter does nothing until it arrives."
                    } else if let refusal = confirm.refusal {
                        confirm.notice = "Refused: \(refusal). Nothing is sent; Esc closes."
                    } else {
                        confirm.notice = nil
                    }
                    self.dialog = .confirmReset(confirm)
                    return []
                }
                self.dialog = nil
                actionsInFlight += 1
                let readable = confirm.readable
                let targets = readable.map(\.userId)
                let trimmed = confirm.reason.trimmingCharacters(in: .whitespaces)
                let reason = trimmed.isEmpty ? nil : trimmed
                response = ResponseView.pending(confirm.action, readable, reason: reason, glyphs: glyphs)
                detailScroll = 0
                var effects: [Effect] = []
                if let shown = record, !targets.contains(shown.userId) {
                    // The pane is the action's now: another user's record (or its read) goes.
                    if shown.read == .reading { effects.append(.cancelRead(request: shown.request)) }
                    record = nil
                }
                switch confirm.action {
                case .resetSessions:
                    status = StatusLine("Resetting sessions of \(targets.count) user(s)\(glyphs.ellipsis)", during: .action)
                    return effects + [.reset(userIds: targets, reason: reason)]
                case .rotateKey, .terminate:
                    status = StatusLine("\(confirm.action.title) for \(targets[0])\(glyphs.ellipsis)", during: .action)
                    return effects + [.escalate(confirm.action, userId: targets[0], reason: reason)]
                }
            case .tab, .backTab:
                confirm.field = confirm.field == .confirmation ? .reason : .confirmation
                confirm.notice = nil
            case .backspace:
                confirm.notice = nil
                switch confirm.field {
                case .confirmation: if !confirm.typed.isEmpty { confirm.typed.removeLast() }
                case .reason: if !confirm.reason.isEmpty { confirm.reason.removeLast() }
                }
            default:
                guard let character = key.typed else { break }
                confirm.notice = nil
                switch confirm.field {
                case .confirmation: if confirm.typed.count < confirm.typedLimit { confirm.typed.append(character) }
                case .reason:
                    if confirm.reason.count < ActionReason.maximumLength {
                        confirm.reason.append(character)
                    } else {
                        confirm.notice = "The reason is at its limit of \(ActionReason.maximumLength) characters; "
                            + "that key was not added."
                    }
                }
            }
            self.dialog = .confirmReset(confirm)
            return []
        }
    }

    /// The keys of the "terminal too small" screen: q and Ctrl-C quit (asking first, once the
    /// screen is large enough to ask, while an action is in flight); nothing else acts, so no
    /// key reaches a dialog the operator cannot see.
    mutating func handleTooSmall(_ key: Key) -> [Effect] {
        guard key == .character("q") || key == .ctrl("c"), dialog != .quitConfirm else { return [] }
        if actionsInFlight > 0 {
            dialog = .quitConfirm
            return []
        }
        quitting = true
        return [.quit]
    }

    /// Clears a transient notice about `work` now that it ended.
    mutating func endWork(_ work: StatusLine.Work) {
        if status?.during == work { status = nil }
    }

    /// The header's line after an action: the outcome words, a lost answer never called a failure.
    static func outcomeStatus(_ what: String, _ words: [OutcomeWord]) -> StatusLine {
        if words.allSatisfy({ $0 == .succeeded }) {
            return StatusLine("\(what): done (\(OutcomeWord.summary(words))).", .success)
        }
        let kind: StatusLine.Kind = words.contains(.failed) ? .failure : .warning
        var text = "\(what): \(OutcomeWord.summary(words)): see the response."
        if words.contains(.unknown) { text += " Check before repeating." }
        return StatusLine(text, kind)
    }

    /// Opens the log-in dialog when a login session ended or was revoked (never for an API key).
    mutating func offerLogin(after failure: Failure) {
        guard environment.loginSession, failure.needsLogin else { return }
        if case .login? = dialog { return }
        openLogin(reason: "Your login session ended or was revoked (\(failure.errorCode ?? "401")): someone may have reset "
            + "your sessions. Log in again to carry on; nothing else is lost.")
    }

    mutating func openLogin(reason: String) {
        guard environment.loginSession else { return }
        dialog = .login(LoginDialog(login: operatorUser?.login ?? "", reason: reason))
    }
}
