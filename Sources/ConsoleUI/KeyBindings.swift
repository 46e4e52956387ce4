import ECGridKit

/// What a key does in the main view (a dialog's keys do a `DialogCommand`).
package enum Command: String, Sendable, CaseIterable {
    case moveUp, moveDown, pageUp, pageDown, home, end
    case filter, find, record, copyID, copyPane, mark, reset, rotateKey, terminate, login, nextPane, previousPane, reload, help, quit, cancel
}

/// One row of the binding table: the keys, the command, its help text, its label in the hint
/// bar (nil: help only), and why it is disabled right now (nil: enabled). One table drives
/// dispatch, the hint bar and the help screen.
package struct Binding: Sendable {
    package var keys: [Key]
    package var command: Command
    package var help: String
    package var hint: String?
    package var disabledReason: @Sendable (ConsoleState) -> DisabledReason?

    package init(_ keys: [Key], _ command: Command, help: String, hint: String? = nil,
                disabled: @escaping @Sendable (ConsoleState) -> DisabledReason? = { _ in nil }) {
        self.keys = keys
        self.command = command
        self.help = help
        self.hint = hint
        self.disabledReason = disabled
    }

    /// How the keys read in the hint bar and help (`↑/k`).
    package var keyLabel: String { keys.map(\.description).joined(separator: "/") }
}

package enum KeyBindings {
    /// The main view's bindings, in the order help lists them.
    package static let table: [Binding] = [
        Binding([.up, .character("k")], .moveUp, help: "Move up (in the focused pane)", hint: "↑↓ move"),
        Binding([.down, .character("j")], .moveDown, help: "Move down (in the focused pane)"),
        Binding([.pageUp], .pageUp, help: "Page up"),
        Binding([.pageDown], .pageDown, help: "Page down"),
        Binding([.home], .home, help: "First row"),
        Binding([.end], .end, help: "Last row"),
        Binding([.character("/")], .filter, help: "Filter loaded users by ID, login, name or email as you type; Enter keeps it, Esc clears it", hint: "/ filter"),
        Binding([.character("f")], .find, help: "Find on the server: digits look up a user ID, anything else a login", hint: "f find"),
        Binding([.enter], .record, help: "Read the selected user from the server and show the whole record", hint: "Enter record",
                disabled: { state in state.selectedUser == nil ? .noUserSelected : nil }),
        Binding([.character(" ")], .mark, help: "Mark or unmark the selected user (for a bulk reset)", hint: "Space mark"),
        Binding([.character("r")], .reset, help: "Reset the sessions of the marked users, or of the selected one", hint: "r reset",
                disabled: { state in
                    if state.context.readOnly { return .readOnly(.resetSessions) }
                    if state.marked.isEmpty && state.selectedUser == nil { return .noUserSelected }
                    return nil
                }),
        Binding([.character("K")], .rotateKey, help: "New API key for the selected user: the old key stops working at once",
                disabled: { state in
                    if state.context.readOnly { return .readOnly(.rotateKey) }
                    return state.selectedUser == nil ? .noUserSelected : nil
                }),
        Binding([.character("T")], .terminate, help: "Terminate the selected user: permanent, cannot be undone",
                disabled: { state in
                    if state.context.readOnly { return .readOnly(.terminate) }
                    return state.selectedUser == nil ? .noUserSelected : nil
                }),
        Binding([.character("L")], .login, help: "Log in again (a login session that ended or was revoked)",
                disabled: { state in state.context.loginSession ? nil : .apiKeySession }),
        Binding([.character("y")], .copyID, help: "Copy the selected user's ID to the clipboard (OSC 52)",
                hint: "y copy ID", disabled: { state in state.selectedUser == nil ? .noUserSelected : nil }),
        Binding([.character("Y")], .copyPane, help: "Copy the record/response pane as text (never a new key)"),
        Binding([.tab], .nextPane, help: "Focus the next pane (users, response, history)", hint: "Tab pane"),
        Binding([.backTab], .previousPane, help: "Focus the previous pane"),
        Binding([.function(5), .ctrl("r")], .reload,
                help: "Reload the user list from the server; the rows stay, marked stale, until the first new page", hint: "F5 reload"),
        Binding([.escape], .cancel,
                help: "Cancel what is pending and say so (a record read, a reload: the list stays as it was, loading); else clear the filter"),
        Binding([.character("?")], .help, help: "This help; Esc closes it", hint: "? help"),
        Binding([.character("q"), .ctrl("c")], .quit, help: "Quit (asks first while an action is in flight)", hint: "q quit"),
    ]

    /// Hints left out of a hint bar too narrow for all of them, in this order.
    package static let hintsDroppedFirst: [Command] = [.copyID, .moveUp, .record, .nextPane, .reload, .mark]

    /// Keys in a confirmation, for the help screen and the man page: from the confirmation's
    /// own binding table, the one it dispatches on.
    package static var dialogHelp: [(String, String)] {
        [DialogCommand.confirm, .switchField, .cancel].compactMap { command in
            DialogBindings.confirm.first { $0.command == command }.flatMap { row in row.help.map { (row.keys[0].description, $0) } }
        }
    }

    static func binding(for key: Key) -> Binding? { table.first { $0.keys.contains(key) } }
}
