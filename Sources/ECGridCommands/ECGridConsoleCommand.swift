import ArgumentParser
import ECGridKit

/// `ecgrid-console`: the console for ECGrid support staff, and its scriptable commands.
package struct ECGridConsoleCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "ecgrid-console",
        abstract: "Find ECGrid users and revoke their sessions, with a record of every action.",
        discussion: """
            With no command, opens the full-screen console (press ? in it for help). Credentials \
            come from ECGRID_API_KEY, never from an argument. The base URL comes from --base-url, \
            else ECGRID_BASE_URL, else \(BaseURL.production). \(ExitStatus.help)

            \(EnvironmentVariables.helpText)
            """,
        version: versionText,
        subcommands: [UsersCommand.self, WhoamiCommand.self, ResetCommand.self, ContainCommand.self, RotateKeyCommand.self, TerminateCommand.self,
                      LoginCommand.self, ProfilesCommand.self, HistoryCommand.self, SandboxCommand.self])

    /// What `--version` prints: the version, the commit and the build date (stamped by
    /// `scripts/build-info` at build time; "unknown" where they could not be read).
    static let versionText = "ecgrid-console \(ECGridKitInfo.version) (commit \(BuildInfo.commit), built \(BuildInfo.date))"

    package init() {}

    @OptionGroup var connection: ConnectionOptions

    /// The line mode for screen readers and any terminal (also `ECGRID_CONSOLE_ACCESSIBLE=1`
    /// or a profile's `accessible = true`).
    @Flag(help: "Open the accessible line mode: one line at a time, no screen redraws, no colour, no escape sequences (for screen readers).")
    var accessible = false

    /// For `scripts/man`: prints the man page's KEYS, ENVIRONMENT, FILES and EXIT STATUS
    /// sections (mdoc) and exits. Never shown in help or the man page.
    @Flag(name: .customLong("print-manual-sections"), help: .private) var printManualSections = false

    /// Forbids core dumps (the process will hold a key), sets up logging (to a file, or
    /// nowhere) before anything creates a logger, then runs.
    package static func runProgram() async {
        ProcessHardening.apply()
        Logs.bootstrap()
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            // A usage error with --json still answers in JSON: {"error": {...}} on standard output.
            if arguments.contains("--json"), exitCode(for: error).rawValue == ExitStatus.usage {
                Output.json(["error": ErrorJSON(kind: "usage", explanation: message(for: error))])
            }
            exit(withError: error)
        }
    }

    package func run() async throws {
        if printManualSections {
            Output.print(ManualSections.mdoc)
            return
        }
        if try LineSession.wanted(flag: accessible, options: connection) {
            let opened: Connection
            do {
                opened = try await Connection.open(connection)
            } catch {
                throw fail(error, json: false)
            }
            let status = await LineSession.run(opened, options: connection)
            await opened.close()
            if status != ExitStatus.success { throw ExitCode(status) }
            return
        }
        let opened = try await Connection.openForConsole(connection)
        let status = await ConsoleSession.run(opened, options: connection)
        await opened.close()
        if status != ExitStatus.success { throw ExitCode(status) }
    }
}
