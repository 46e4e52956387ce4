import ECGridKit

/// The one action pipeline of the console: `r`, `K` or `T` opens a `ConfirmAction`; its Enter
/// sends `Effect.act`; `Message.actionFinished` brings the reports back. Every word on the
/// way comes from the action.
extension ConsoleState {
    /// Opens the confirmation: a reset takes the marked users (or the selected one); the
    /// others always take the selected user alone.
    mutating func openConfirmation(_ action: UserAction) -> [Effect] {
        let selected = selectedUser.map { [$0.userId] } ?? []
        let ids = !action.takesMarks || marked.isEmpty ? selected : users.ids.filter(marked.contains)
        guard !ids.isEmpty else { return [] }
        let confirm = ConfirmAction(action, request: takeRequest(), userIds: ids)
        dialog = .confirmAction(confirm)
        return [.readTargets(request: confirm.request, userIds: ids)]
    }

    /// Keys in the open confirmation.
    mutating func handleConfirmation(_ key: Key, _ confirm: ConfirmAction) -> [Effect] {
        var confirm = confirm
        switch confirm.handle(key, fullyDrawn: confirmationFullyDrawn) {
        case .stay:
            dialog = .confirmAction(confirm)
        case .enlarge:
            status = StatusLine("Enlarge the window: Enter acts only when the whole confirmation is visible.", .warning)
            dialog = .confirmAction(confirm)
        case .cancel:
            dialog = nil
            status = StatusLine(confirm.action.cancelledNotice)
            return [.cancelRead(request: confirm.request)]
        case .confirm(let targets, let reason):
            dialog = nil
            return send(confirm.action, to: targets, reason: reason)
        }
        return []
    }

    /// Sends a confirmed action: the response pane shows it on its way.
    mutating func send(_ action: UserAction, to targets: [User], reason: String?) -> [Effect] {
        actionsInFlight += 1
        let ids = targets.map(\.userId)
        response = ResponseView.pending(action, targets, reason: reason, glyphs: glyphs)
        detailScroll = 0
        var effects: [Effect] = []
        if let shown = record, !ids.contains(shown.userId) {
            // The pane is the action's now: another user's record (or its read) goes.
            if shown.read == .reading { effects.append(.cancelRead(request: shown.request)) }
            record = nil
        }
        status = StatusLine(action.runningNotice(ids, glyphs: glyphs), during: .action)
        return effects + [.act(action, userIds: ids, reason: reason)]
    }

    /// The reports of a finished action: the rows and the record re-read, the response pane, the
    /// header's outcome, a new key shown once, the marks of users done cleared.
    mutating func actionFinished(_ reports: [ActionReport]) -> [Effect] {
        actionsInFlight = max(0, actionsInFlight - 1)
        let outcomes = reports.map(\.outcome)
        merge(outcomes.compactMap { $0.after ?? $0.before })
        refreshRecord(outcomes)
        endWork(.action)
        guard let action = reports.first?.action else { return [.loadHistory] }
        response = ResponseView.finished(reports, glyphs: glyphs)
        detailScroll = 0
        status = Self.outcomeStatus(action.subject(outcomes.map(\.userId)), reports.map(\.status))
        if action.takesMarks {
            for id in outcomes.filter(\.succeeded).map(\.userId) { marked.remove(id) }
        }
        if let shown = outcomes.first(where: { $0.succeeded && $0.newKey != nil }), let key = shown.newKey {
            dialog = .newKey(NewKey(userId: shown.userId, login: shown.before?.login ?? "", key: key))
        }
        if let error = outcomes.compactMap(\.error).first { offerLogin(after: Failure(error)) }
        return [.loadHistory]
    }

    /// After an action, the record shown (if it is one of the targets) becomes the re-read one.
    mutating func refreshRecord(_ outcomes: [ActionOutcome]) {
        guard let shown = record, let outcome = outcomes.first(where: { $0.userId == shown.userId }),
              let fresh = outcome.after ?? outcome.before
        else { return }
        record?.read = .read(fresh)
    }

    /// The header's line after an action: the outcome words, a lost answer never called a failure.
    static func outcomeStatus(_ what: String, _ words: [ActionStatus]) -> StatusLine {
        if words.allSatisfy({ $0 == .succeeded }) {
            return StatusLine("\(what): done (\(ActionStatus.summary(words))).", .success)
        }
        let kind: StatusLine.Kind = words.contains(.failed) ? .failure : .warning
        var text = "\(what): \(ActionStatus.summary(words)): see the response."
        if words.contains(.unknown) { text += " Check before repeating." }
        return StatusLine(text, kind)
    }
}
