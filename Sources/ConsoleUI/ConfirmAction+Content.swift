import ECGridKit

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
