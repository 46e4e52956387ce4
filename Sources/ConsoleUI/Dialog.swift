/// What is open on top of the panes. Each dialog is a component of its own file: its state,
/// its keys (from its binding table) and its drawing.
package enum Dialog: Sendable, Equatable {
    case help(scroll: Int)
    /// The confirmation of a reset, a key rotation or a termination.
    case confirmAction(ConfirmAction)
    case find(FindDialog)
    case quitConfirm
    /// A new API key, shown once; closing the dialog forgets it.
    case newKey(NewKey)
    /// Log in again after the session was revoked.
    case login(LoginDialog)

    /// The binding table its keys go by right now.
    package var mode: DialogMode {
        switch self {
        case .help: .help
        case .confirmAction: .confirm
        case .find(let find): find.pending == nil ? .find : .finding
        case .quitConfirm: .quit
        case .newKey: .newKey
        case .login(let login): login.pending == nil ? .login : .loggingIn
        }
    }
}
