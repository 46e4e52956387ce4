/// Facts about where the console runs, fixed for a session.
package struct ConsoleContext: Sendable, Equatable {
    /// The profile or environment name, in words (`SANDBOX`, `production`, …).
    package var label: String
    /// Base URL host and port.
    package var host: String
    package var readOnly: Bool
    /// Production shows a distinct banner in words.
    package var isProduction: Bool
    /// The operator logged in with a password (a bearer session) rather than an API key: when
    /// the session is revoked the console offers to log in again.
    package var loginSession: Bool
    /// `tmux` or `screen` when the console runs inside one (TERM says so): copies by OSC 52
    /// need `set-clipboard on` there, and help says so.
    package var multiplexer: String?

    package init(
        label: String, host: String, readOnly: Bool = false, isProduction: Bool = false, loginSession: Bool = false,
        multiplexer: String? = nil
    ) {
        self.multiplexer = multiplexer
        self.label = label
        self.host = host
        self.readOnly = readOnly
        self.isProduction = isProduction
        self.loginSession = loginSession
    }
}

extension ConsoleContext {
    /// `tmux` or `screen` when TERM (or `$TMUX`/`$STY`) says the console runs inside one.
    package static func multiplexer(in environment: [String: String]) -> String? {
        let term = environment["TERM"] ?? ""
        if term.hasPrefix("tmux") || !(environment["TMUX"] ?? "").isEmpty { return "tmux" }
        if term.hasPrefix("screen") || !(environment["STY"] ?? "").isEmpty { return "screen" }
        return nil
    }
}
