import ArgumentParser

/// `terminate ID [--yes] [--reason TEXT] [--json]`: terminate the account, for good.
struct TerminateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminate",
        abstract: "Terminate a user for good (DELETE /v2/users/{id}): permanent, cannot be undone.",
        discussion: """
            The last step: the account is terminated and every session and API key of the user \
            stops working. It cannot be undone. The user is re-read first; confirm by typing the \
            user's login, or pass --yes.
            """)

    @OptionGroup var options: EscalationOptions

    func run() async throws {
        try await ActionCommandRunner.run(Escalation(kind: .terminate, options: options))
    }
}
