import ArgumentParser

/// `rotate-key ID [--yes] [--reason TEXT] [--json]`: a new API key for the user.
struct RotateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Generate a new API key for a user (POST /v2/users/key-generate/{id}); the old key stops working.",
        discussion: """
            The next step when a reset is not enough: the user's current API key stops working at \
            once. The user is re-read first; confirm by typing the user's ID, or pass --yes. The new \
            key is printed once, on standard output, and written nowhere else: the history records \
            that a key was generated, never the key.
            """)

    @OptionGroup var options: EscalationOptions

    func run() async throws {
        try await ActionCommandRunner.run(Escalation(kind: .rotateKey, options: options))
    }
}
