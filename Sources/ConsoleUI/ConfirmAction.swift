import Foundation
import ECGridKit

/// The one confirmation of a state-changing action (reset, key rotation, terminate): targets
/// re-read when it opens, a reason, and the typed confirmation. A reset may have several
/// targets; the others have one. Its words come from its action.
package struct ConfirmAction: Sendable, Equatable {
    /// The text fields, in the order Tab visits them.
    package enum Field: Sendable { case confirmation, reason }

    /// What a key asks of the console.
    package enum Outcome: Sendable, Equatable {
        case stay
        /// Esc: close, send nothing.
        case cancel
        /// Enter on a match, the whole dialog drawn: send the action to these users.
        case confirm(targets: [User], reason: String?)
        /// Enter on a match the screen cannot show whole.
        case enlarge
    }

    /// The action confirmed: every word of the dialog comes from it.
    package let action: UserAction
    /// The request of the targets' re-read (their answers carry it).
    package let request: Int
    /// The targets, in order: the marked users of a reset, else the selected user.
    package let userIds: [Int]
    /// Each target's re-read, as it stands.
    package internal(set) var reads: [Int: TargetRead]
    /// The typed confirmation (an ID, a count or a login).
    package internal(set) var typedField: TextField
    /// The optional reason or ticket, kept whole in the history.
    package internal(set) var reasonField = TextField(limit: ActionReason.maximumLength)
    /// Focus starts on the typed field, never on a "Yes".
    package internal(set) var field: Field = .confirmation
    /// Said in the dialog after a key that could not act (Enter while the re-read is pending, a
    /// reason at its limit); cleared by the next key that does.
    package internal(set) var notice: String?

    package init(_ action: UserAction, request: Int, userIds: [Int]) {
        self.action = action
        self.request = request
        self.userIds = userIds
        var reads: [Int: TargetRead] = [:]
        for id in userIds { reads[id] = .reading }
        self.reads = reads
        typedField = TextField(limit: action == .terminate ? 120 : 12)
    }

    /// What was typed to confirm.
    package var typed: String { typedField.text }
    /// The reason or ticket given.
    package var reason: String { reasonField.text }

    /// What must be typed, or why nothing can be confirmed: the one rule of `Confirmation`.
    package var rule: Confirmation.Expected { Confirmation.expected(action, targets: userIds, readable: readable) }

    /// What must be typed: the login to terminate (as re-read from the server), else the ID
    /// for one user and the count for several; empty when it cannot be had.
    package var expected: String {
        if case .answer(let answer) = rule { return answer }
        return ""
    }

    /// Why the action cannot be confirmed once the re-reads are in, if it cannot.
    package var refusal: String? {
        guard !readsPending, case .refused(let reason) = rule else { return nil }
        return reason
    }

    /// True while a target's re-read is awaited.
    package var readsPending: Bool { reads.values.contains(.reading) }
    /// Targets the server confirmed, in order.
    package var readable: [User] {
        userIds.compactMap { if case .read(let user)? = reads[$0] { user } else { nil } }
    }
    /// True when Enter would send: the re-reads are in and the typed text matches.
    package var canConfirm: Bool { !readsPending && Confirmation.matches(typed, rule) }

    /// Takes the re-read of one target; true when it was the last one awaited.
    mutating func take(_ userId: Int, _ result: Result<User, Failure>) -> Bool {
        switch result {
        case .success(let user): reads[userId] = .read(user)
        case .failure(let failure): reads[userId] = .failed(failure)
        }
        guard !readsPending else { return false }
        // The wait the notice spoke of is over; a refusal, if any, is said by the dialog.
        notice = nil
        return true
    }

    /// Applies a key from the confirmation's binding table. `fullyDrawn`: the whole dialog is
    /// on screen (Enter acts only then).
    mutating func handle(_ key: Key, fullyDrawn: Bool) -> Outcome {
        switch DialogMode.confirm.command(for: key) {
        case .cancel?:
            return .cancel
        case .confirm?:
            return enter(fullyDrawn: fullyDrawn)
        case .switchField?:
            field = field == .confirmation ? .reason : .confirmation
            notice = nil
        case .type?:
            type(key)
        default:
            break
        }
        return .stay
    }

    private mutating func enter(fullyDrawn: Bool) -> Outcome {
        guard canConfirm, fullyDrawn else {
            // Enter that cannot act says why, in the dialog, and does nothing else.
            if canConfirm {
                notice = "Enlarge the window: the whole confirmation must be visible before Enter acts."
                return .enlarge
            } else if readsPending {
                notice = "Waiting for the server's re-read: Enter does nothing until it arrives."
            } else if let refusal {
                notice = "Refused: \(refusal). Nothing is sent; Esc closes."
            } else {
                notice = nil
            }
            return .stay
        }
        let trimmed = reason.trimmingCharacters(in: .whitespaces)
        return .confirm(targets: readable, reason: trimmed.isEmpty ? nil : trimmed)
    }

    private mutating func type(_ key: Key) {
        notice = nil
        switch field {
        case .confirmation:
            typedField.apply(key)
        case .reason:
            if reasonField.apply(key) == .full {
                notice = "The reason is at its limit of \(ActionReason.maximumLength) characters; that key was not added."
            }
        }
    }
}

// MARK: Drawing

extension ConfirmAction {
    /// Width the confirmation dialog asks for.
    static let width = 72

    /// The dialog's title and lines at a screen `width`. Each row of data from the server is
    /// cut to one row (a failure's explanation to two), and the typed field shows the end of
    /// what was typed, so the typed field and what Enter will do stay inside the dialog at 80×24.
    /// `recent`: anyone's recent actions on the targets.
    func content(screenWidth: Int, glyphs: Glyphs, recent: [String]) -> (title: String, lines: [StyledLine]) {
        let cut = Cutter(row: max(10, min(Self.width, screenWidth - 4) - 4), glyphs: glyphs)
        var lines = userIds.count == 1 ? singleTarget(cut, glyphs) : targets(cut, glyphs)
        for line in recent.prefix(3) { lines.append(StyledLine(cut("Recent: " + line), .warning)) }
        lines.append(StyledLine(""))
        lines += action.consequences()
        lines.append(StyledLine(""))
        lines += fields(glyphs)
        lines.append(footer(cut, glyphs))
        let title = !action.takesMarks || userIds.count == 1 ? action.title : "\(action.title) of \(userIds.count) users"
        return (title, lines)
    }

    /// Text from the server cut to whole rows of the dialog.
    struct Cutter {
        var row: Int
        var glyphs: Glyphs

        func callAsFunction(_ text: String, rows: Int = 1) -> String {
            TerminalText.truncate(ConsoleState.shown(text, ascii: glyphs.isASCII), to: row * rows - (rows - 1) * 8, ascii: glyphs.isASCII)
        }
    }

    private func singleTarget(_ cut: Cutter, _ glyphs: Glyphs) -> [StyledLine] {
        guard let id = userIds.first else { return [] }
        switch reads[id] ?? .reading {
        case .reading:
            return [StyledLine("User \(id): re-reading from the server\(glyphs.ellipsis)", .warning)]
        case .read(let user):
            return [
                StyledLine(cut("User \(user.userId)  \(user.login)"), .bold),
                StyledLine(cut("Name \(user.displayName)")),
                StyledLine(cut("Network/mailbox \(user.place) \(glyphs.dot) \(user.authLevel?.rawValue ?? "-") \(glyphs.dot) "
                    + (user.status?.rawValue ?? "-"))),
                StyledLine("Open sessions \(user.openSessions.map(String.init) ?? "unknown") (just re-read from the server)"),
            ]
        case .failed(let failure):
            return [StyledLine(cut("User \(id) cannot be re-read, so nothing can be sent: \(failure.explanation)", rows: 2), .failure)]
        }
    }

    private func targets(_ cut: Cutter, _ glyphs: Glyphs) -> [StyledLine] {
        var lines = [StyledLine("\(userIds.count) marked users (re-read from the server):", .bold)]
        let shown = userIds.prefix(6)
        for id in shown {
            switch reads[id] ?? .reading {
            case .reading: lines.append(StyledLine("  \(id)  re-reading\(glyphs.ellipsis)", .warning))
            case .read(let user):
                lines.append(StyledLine(cut("  \(user.userId)  \(user.login)  \(user.place)  \(user.authLevel?.rawValue ?? "-")  "
                    + "sessions \(user.openSessions.map(String.init) ?? "?")")))
            case .failed(let failure): lines.append(StyledLine(cut("  \(id)  will be skipped: \(failure.explanation)"), .failure))
            }
        }
        if userIds.count > shown.count {
            lines.append(StyledLine("  \(glyphs.ellipsis) and \(userIds.count - shown.count) more"))
        }
        return lines
    }

    /// The reason field and the typed confirmation, the focused one marked and with the cursor.
    private func fields(_ glyphs: Glyphs) -> [StyledLine] {
        let reasonMarker = field == .reason ? glyphs.pointer : " "
        let typedMarker = field == .confirmation ? glyphs.pointer : " "
        // The reason's end (where typing goes), at most about two rows.
        let count = reason.count > 100 ? " (\(reason.count)/\(ActionReason.maximumLength))" : ""
        let reasonShown = reasonField.shown(tail: 100, focused: field == .reason, glyphs: glyphs)
        let ascii = glyphs.isASCII
        let expectedShown = TerminalText.truncate(ConsoleState.shown(expected, ascii: ascii), to: 40, ascii: ascii)
        let what = action == .terminate ? "the user's login (\(expected.isEmpty ? "once read" : expectedShown))"
            : userIds.count == 1 ? "the user ID (\(expectedShown))" : "the number of users (\(expectedShown))"
        let typedShown = typedField.shown(tail: 40, focused: field == .confirmation, glyphs: glyphs)
        return [
            StyledLine("\(reasonMarker) Reason or ticket (optional)\(count): \(reasonShown)"),
            StyledLine("\(typedMarker) Type \(what) to confirm: \(typedShown)", .bold),
        ]
    }

    /// The last line: what Enter will do now, or why it will not.
    private func footer(_ cut: Cutter, _ glyphs: Glyphs) -> StyledLine {
        if let notice { return StyledLine(notice, .warning) }
        if readsPending { return StyledLine("Waiting for the server before Enter can confirm\(glyphs.ellipsis)", .dim) }
        if let refusal { return StyledLine(cut("Refused: \(refusal). Nothing is sent; Esc closes.", rows: 3), .failure) }
        if !typed.isEmpty && !canConfirm { return StyledLine("Does not match: Enter does nothing.", .dim) }
        if canConfirm {
            return StyledLine("Matches: Enter \(action.enterDoes(readable.count)) now. Esc cancels: nothing is sent.", .warning)
        }
        return StyledLine("Enter confirms when it matches. Esc cancels: nothing is sent.", .dim)
    }
}

extension ConsoleState {
    /// The open confirmation's title and lines at this size.
    func confirmationContent(_ confirm: ConfirmAction) -> (title: String, lines: [StyledLine]) {
        confirm.content(screenWidth: width, glyphs: glyphs, recent: RecentActions.warnings(for: confirm.userIds, in: history))
    }

    /// True when the open confirmation is drawn whole at this size, its last line (what Enter
    /// will do) included: only then does Enter act on it.
    package var confirmationFullyDrawn: Bool {
        guard Layout.fits(width: width, height: height), case .confirmAction(let confirm)? = dialog else { return false }
        let boxWidth = min(ConfirmAction.width, width - 4)
        let rows = confirmationContent(confirm).lines.reduce(0) { $0 + Self.wrap($1.text, width: boxWidth - 4).count }
        return rows + 2 <= height - 4
    }
}
