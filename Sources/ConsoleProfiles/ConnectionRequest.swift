/// What the command line says about where to connect (`--base-url`, `--sandbox`, `--profile`,
/// `--read-only`), before the environment and the config file are consulted.
package struct ConnectionRequest: Sendable, Equatable {
    /// `--base-url`.
    package var baseURL: String?
    /// `--sandbox`: an embedded sandbox, no profile, no base URL.
    package var sandbox: Bool
    /// `--profile NAME`.
    package var profile: String?
    /// `--read-only`.
    package var readOnly: Bool

    /// The flags as given (nil and false: not given).
    package init(baseURL: String? = nil, sandbox: Bool = false, profile: String? = nil, readOnly: Bool = false) {
        self.baseURL = baseURL
        self.sandbox = sandbox
        self.profile = profile
        self.readOnly = readOnly
    }

    /// Why a state-changing command is refused in read-only mode (`--read-only`, or a profile
    /// that says so); nil when it may run.
    package func readOnlyRefusal(profile: Profile?) -> String? {
        if readOnly { return "Run without --read-only to act." }
        guard let profile, profile.readOnly else { return nil }
        return "Profile \(profile.name) is read-only: set read_only = false in it, or use another."
    }
}
