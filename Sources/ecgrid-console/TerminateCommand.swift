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

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var target: UserIDArgument
    @Flag(help: "Do not ask (for scripts).") var yes = false
    @Option(help: "Why: a ticket or incident reference, kept in the history.") var reason: String?

    func run() async throws {
        try await Escalation(action: .terminate, connection: connection, json: output.json, userId: try target.id(json: output.json), yes: yes, reason: reason, output: output).run()
    }
}
