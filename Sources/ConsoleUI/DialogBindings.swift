/// What a key does in a dialog (or while the filter is typed).
package enum DialogCommand: Sendable, Equatable {
    /// Confirm, search, log in, keep the filter.
    case confirm
    /// Cancel or close; nothing is sent.
    case cancel
    /// Move between the dialog's text fields.
    case switchField
    /// Type into (or erase from) the focused text field.
    case type
    /// Scroll or move by the key's step.
    case scroll
    /// Quit although an action is in flight.
    case quitAnyway
    /// No key: the hint says what the dialog waits for.
    case wait
}

/// One row of a dialog's binding table: its keys, what they do, the hint bar's label (nil:
/// not in the hint bar) and the help screen's text (nil: not in help). A row that types takes
/// every printable character besides its keys.
package struct DialogBinding: Sendable {
    /// The keys that do it.
    package var keys: [Key]
    /// What they do.
    package var command: DialogCommand
    /// The hint bar's label; nil: not in the hint bar.
    package var hint: String?
    /// The help screen's text; nil: not in help.
    package var help: String?

    package init(_ keys: [Key], _ command: DialogCommand, hint: String? = nil, help: String? = nil) {
        self.keys = keys
        self.command = command
        self.hint = hint
        self.help = help
    }

    /// True when the row takes typed characters too.
    package var types: Bool { command == .type }
}

/// What is on top of the panes as far as keys go: each dialog, and its waiting state, has a
/// table of its own.
package enum DialogMode: Sendable, CaseIterable {
    case help, confirm, find, finding, quit, newKey, login, loggingIn, filter

    /// The table this mode dispatches on, in the hint bar's order.
    package var bindings: [DialogBinding] {
        switch self {
        case .help: DialogBindings.help
        case .confirm: DialogBindings.confirm
        case .find: DialogBindings.find
        case .finding: DialogBindings.finding
        case .quit: DialogBindings.quit
        case .newKey: DialogBindings.newKey
        case .login: DialogBindings.login
        case .loggingIn: DialogBindings.loggingIn
        case .filter: DialogBindings.filter
        }
    }

    /// What `key` does in this mode, if anything.
    package func command(for key: Key) -> DialogCommand? {
        if let row = bindings.first(where: { $0.keys.contains(key) }) { return row.command }
        if key.typed != nil, bindings.contains(where: \.types) { return .type }
        return nil
    }

    /// The hint bar's text in this mode.
    package var hints: String { " " + bindings.compactMap(\.hint).joined(separator: "   ") }
}

/// The dialogs' binding tables: one per mode, the only place a dialog's keys are declared.
package enum DialogBindings {
    package static let help: [DialogBinding] = [
        DialogBinding([.up, .character("k"), .down, .character("j"), .pageUp, .pageDown], .scroll, hint: "↑↓ scroll"),
        DialogBinding([.escape, .character("?"), .character("q"), .enter], .cancel, hint: "Esc close"),
    ]

    package static let confirm: [DialogBinding] = [
        DialogBinding([.backspace], .type, hint: "type the confirmation"),
        DialogBinding([.tab, .backTab], .switchField, hint: "Tab reason field",
                      help: "Switch between the confirmation and the reason field"),
        DialogBinding([.enter], .confirm, hint: "Enter confirm",
                      help: "Confirm: only when the typed ID (count for several users, login to terminate) matches what the "
                        + "server's re-read gave; before the re-read arrives it says it is waiting, and does nothing else"),
        DialogBinding([.escape], .cancel, hint: "Esc cancel (nothing is sent)", help: "Cancel: nothing is sent"),
    ]

    package static let find: [DialogBinding] = [
        DialogBinding([.backspace], .type),
        DialogBinding([.enter], .confirm, hint: "Enter search"),
        DialogBinding([.escape], .cancel, hint: "Esc close"),
    ]

    package static let finding: [DialogBinding] = [
        DialogBinding([], .wait, hint: "searching…"),
        DialogBinding([.escape], .cancel, hint: "Esc cancel"),
    ]

    package static let quit: [DialogBinding] = [
        DialogBinding([.character("y"), .character("Y")], .quitAnyway, hint: "y quit anyway"),
        DialogBinding([.character("n"), .character("N"), .escape, .enter], .cancel, hint: "n / Esc stay"),
    ]

    package static let newKey: [DialogBinding] = [
        DialogBinding([.enter, .escape], .cancel, hint: "Enter or Esc close (the key is then forgotten)"),
    ]

    package static let login: [DialogBinding] = [
        DialogBinding([.tab, .backTab], .switchField, hint: "Tab login/password"),
        DialogBinding([.backspace], .type),
        DialogBinding([.enter], .confirm, hint: "Enter log in"),
        DialogBinding([.escape], .cancel, hint: "Esc not now"),
    ]

    package static let loggingIn: [DialogBinding] = [
        DialogBinding([], .wait, hint: "logging in…"),
        DialogBinding([.escape], .cancel, hint: "Esc cancel"),
    ]

    /// While `/` is typed: the hint bar shows the filter before these.
    package static let filter: [DialogBinding] = [
        DialogBinding([.backspace], .type),
        DialogBinding([.enter], .confirm, hint: "Enter keep"),
        DialogBinding([.escape], .cancel, hint: "Esc clear"),
        DialogBinding([.up, .down, .pageUp, .pageDown], .scroll, hint: "↑↓ move"),
    ]
}
