import ECGridKit

/// The log-in-again dialog: the login, the password (never drawn), the attempt in flight.
package struct LoginDialog: Sendable, Equatable {
    /// The text fields, in the order Tab visits them.
    package enum Field: Sendable { case login, password }

    /// What a key asks of the console.
    enum Outcome: Equatable {
        case stay
        /// Esc: close, cancelling the attempt in flight if any.
        case cancel(pending: Int?)
        /// Enter: log in with these; the password goes no further than that request.
        case submit(login: String, password: Secret)
    }

    /// The login, filled in with the operator's when known.
    package internal(set) var loginField: TextField
    /// The password: never drawn, forgotten once sent.
    var passwordField = TextField(limit: 200)
    /// The field typing goes to.
    package internal(set) var field: Field = .password
    /// The attempt in flight, if any.
    package internal(set) var pending: Int?
    /// Why the last attempt failed.
    package internal(set) var failure: Failure?
    /// Why it opened.
    package internal(set) var reason: String

    package init(login: String, reason: String) {
        loginField = TextField(login, limit: 120)
        self.reason = reason
        if login.isEmpty { field = .login }
    }

    /// The login typed or given.
    package var login: String { loginField.text }

    /// Applies a key from the log-in dialog's binding table.
    mutating func handle(_ key: Key) -> Outcome {
        switch (pending == nil ? DialogMode.login : .loggingIn).command(for: key) {
        case .cancel?:
            return .cancel(pending: pending)
        case .switchField?:
            field = field == .login ? .password : .login
        case .confirm?:
            guard !login.isEmpty, !passwordField.isEmpty else { break }
            let password = Secret(passwordField.text)
            passwordField.clear()
            return .submit(login: login, password: password)
        case .type?:
            switch field {
            case .login: loginField.apply(key)
            case .password: passwordField.apply(key)
            }
        default:
            break
        }
        return .stay
    }

    /// The dialog's lines: the password is never drawn, not even its length.
    func lines(_ glyphs: Glyphs) -> [StyledLine] {
        var lines = [StyledLine(reason, .warning), StyledLine("")]
        let loginMarker = field == .login ? glyphs.pointer : " "
        let passwordMarker = field == .password ? glyphs.pointer : " "
        let editing = pending == nil
        lines.append(StyledLine("\(loginMarker) Login:    \(loginField.shown(focused: editing && field == .login, glyphs: glyphs))", .bold))
        let typed = passwordField.isEmpty ? "" : "(typed, hidden)"
        let cursor = editing && field == .password ? glyphs.cursor : ""
        lines.append(StyledLine("\(passwordMarker) Password: \(typed)\(cursor)", .bold))
        if pending != nil { lines.append(StyledLine("Logging in\(glyphs.ellipsis)", .warning)) }
        if let failure {
            lines.append(StyledLine(failure.summary, .failure))
            lines.append(StyledLine(failure.explanation, .failure))
        }
        return lines
    }
}
