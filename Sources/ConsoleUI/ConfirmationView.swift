import ECGridKit

extension ConsoleState {
    /// Width the confirmation dialog asks for.
    static let confirmationWidth = 72

    /// The confirmation dialog's title and lines. Each row of data from the server is cut to
    /// one row (a failure's explanation to two), and the typed field shows the end of what was
    /// typed, so the typed field and what Enter will do stay inside the dialog at 80×24.
    func confirmationContent(_ confirm: ConfirmReset) -> (title: String, lines: [StyledLine]) {
        let ascii = glyphs.horizontal != "─"
        let row = max(10, min(Self.confirmationWidth, width - 4) - 4)
        func cut(_ text: String, rows: Int = 1) -> String {
            TerminalText.truncate(Self.shown(text, ascii: ascii), to: row * rows - (rows - 1) * 8, ascii: ascii)
        }
        var lines: [StyledLine] = []
        let single = confirm.userIds.count == 1
        if single, let id = confirm.userIds.first {
            switch confirm.reads[id] ?? .reading {
            case .reading:
                lines.append(StyledLine("User \(id): re-reading from the server\(glyphs.ellipsis)", .warning))
            case .read(let user):
                lines.append(StyledLine(cut("User \(user.userId)  \(user.login)"), .bold))
                lines.append(StyledLine(cut("Name \(user.displayName)")))
                lines.append(StyledLine(cut("Network/mailbox \(user.place) \(glyphs.dot) \(user.authLevel?.rawValue ?? "-") \(glyphs.dot) "
                    + (user.status?.rawValue ?? "-"))))
                lines.append(StyledLine("Open sessions \(user.openSessions.map(String.init) ?? "unknown") (just re-read from the server)"))
            case .failed(let failure):
                lines.append(StyledLine(cut("User \(id) cannot be re-read, so nothing can be sent: \(failure.explanation)", rows: 2), .failure))
            }
        } else {
            lines.append(StyledLine("\(confirm.userIds.count) marked users (re-read from the server):", .bold))
            let shown = confirm.userIds.prefix(6)
            for id in shown {
                switch confirm.reads[id] ?? .reading {
                case .reading: lines.append(StyledLine("  \(id)  re-reading\(glyphs.ellipsis)", .warning))
                case .read(let user):
                    lines.append(StyledLine(cut("  \(user.userId)  \(user.login)  \(user.place)  \(user.authLevel?.rawValue ?? "-")  "
                        + "sessions \(user.openSessions.map(String.init) ?? "?")")))
                case .failed(let failure): lines.append(StyledLine(cut("  \(id)  will be skipped: \(failure.explanation)"), .failure))
                }
            }
            if confirm.userIds.count > shown.count {
                lines.append(StyledLine("  \(glyphs.ellipsis) and \(confirm.userIds.count - shown.count) more"))
            }
        }
        // Anyone's recent action on these users (a team's shared history holds everyone's).
        for recent in RecentActions.warnings(for: confirm.userIds, in: history).prefix(3) {
            lines.append(StyledLine(cut("Recent: " + recent), .warning))
        }
        lines.append(StyledLine(""))
        switch confirm.action {
        case .resetSessions:
            lines.append(StyledLine("Revokes every open bearer (JWT) session: they must log in again."))
            lines.append(StyledLine("Does NOT revoke API keys: they keep working.", .warning))
        case .rotateKey:
            lines.append(StyledLine("Generates a new API key. The current key STOPS WORKING AT ONCE, for every script and system using it.", .warning))
            lines.append(StyledLine("Sessions are not touched. The new key is shown once, in a dialog you must close; it is recorded nowhere."))
        case .terminate:
            lines.append(StyledLine("PERMANENT: terminates the account. This CANNOT BE UNDONE.", .failure))
            lines.append(StyledLine("Every session and API key of the user stops working at once."))
        }
        lines.append(StyledLine(""))
        let cursor = ascii ? "_" : "▏"
        let reasonMarker = confirm.field == .reason ? glyphs.pointer : " "
        let typedMarker = confirm.field == .confirmation ? glyphs.pointer : " "
        // The reason's end (where typing goes), at most about two rows.
        let reasonShown = confirm.reason.count > 100 ? "\(glyphs.ellipsis)" + confirm.reason.suffix(99) : confirm.reason
        let count = confirm.reason.count > 100 ? " (\(confirm.reason.count)/\(ActionReason.maximumLength))" : ""
        lines.append(StyledLine("\(reasonMarker) Reason or ticket (optional)\(count): \(reasonShown)\(confirm.field == .reason ? cursor : "")"))
        let expected = TerminalText.truncate(Self.shown(confirm.expected, ascii: ascii), to: 40, ascii: ascii)
        let what = confirm.action == .terminate ? "the user's login (\(confirm.expected.isEmpty ? "once read" : expected))"
            : single ? "the user ID (\(expected))" : "the number of users (\(expected))"
        let typed = confirm.typed.count > 40 ? "\(glyphs.ellipsis)" + confirm.typed.suffix(39) : confirm.typed
        lines.append(StyledLine("\(typedMarker) Type \(what) to confirm: \(typed)\(confirm.field == .confirmation ? cursor : "")", .bold))
        if let notice = confirm.notice {
            lines.append(StyledLine(notice, .warning))
        } else if confirm.readsPending {
            lines.append(StyledLine("Waiting for the server before Enter can confirm\(glyphs.ellipsis)", .dim))
        } else if let refusal = confirm.refusal {
            lines.append(StyledLine(cut("Refused: \(refusal). Nothing is sent; Esc closes.", rows: 3), .failure))
        } else if !confirm.typed.isEmpty && !confirm.canConfirm {
            lines.append(StyledLine("Does not match: Enter does nothing.", .dim))
        } else if confirm.canConfirm {
            let count = confirm.readable.count
            let does = switch confirm.action {
            case .resetSessions: "resets \(count) user\(count == 1 ? "" : "s")"
            case .rotateKey: "replaces the key"
            case .terminate: "terminates the user"
            }
            lines.append(StyledLine("Matches: Enter \(does) now. Esc cancels: nothing is sent.", .warning))
        } else {
            lines.append(StyledLine("Enter confirms when it matches. Esc cancels: nothing is sent.", .dim))
        }
        let title = confirm.action != .resetSessions ? confirm.action.title
            : single ? "Reset sessions" : "Reset sessions of \(confirm.userIds.count) users"
        return (title, lines)
    }

    func drawConfirm(_ grid: inout Grid, _ confirm: ConfirmReset) {
        let content = confirmationContent(confirm)
        drawPanel(&grid, title: content.title, lines: content.lines, width: Self.confirmationWidth)
    }

    /// True when the open confirmation is drawn whole at this size, its last line (what Enter
    /// will do) included: only then does Enter act on it.
    public var confirmationFullyDrawn: Bool {
        guard Layout.fits(width: width, height: height), case .confirmReset(let confirm)? = dialog else { return false }
        let boxWidth = min(Self.confirmationWidth, width - 4)
        let rows = confirmationContent(confirm).lines.reduce(0) { $0 + Self.wrap($1.text, width: boxWidth - 4).count }
        return rows + 2 <= height - 4
    }
}
