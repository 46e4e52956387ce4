import ArgumentParser
import ECGridKit

/// `ecgrid-console`: the console for ECGrid support staff, and its scriptable commands.
@main
struct ECGridConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecgrid-console",
        abstract: "Find ECGrid users and revoke their sessions, with a record of every action.",
        discussion: """
            Credentials come from ECGRID_API_KEY, never from an argument. The base URL comes from
            --base-url, else ECGRID_BASE_URL, else \(BaseURL.production). Exit status: 0 when every
            requested action succeeded, 1 when one failed, 2 when refused before anything was sent.
            """,
        version: ECGridKitInfo.version,
        subcommands: [UsersCommand.self, WhoamiCommand.self, ResetCommand.self, HistoryCommand.self, SandboxCommand.self])

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        Output.error("""
            The full-screen console is not part of this build yet. Use the commands below; \
            'ecgrid-console sandbox' serves a local sandbox to try them on.
            """)
        Output.error(Self.helpMessage())
        throw ExitCode(ExitStatus.refused)
    }
}
