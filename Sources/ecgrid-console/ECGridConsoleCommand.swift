import ArgumentParser
import ConsoleTerminal
import ConsoleUI
import ECGridKit
import IncidentLog

/// `ecgrid-console`: the console for ECGrid support staff, and its scriptable commands.
@main
struct ECGridConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecgrid-console",
        abstract: "Find ECGrid users and revoke their sessions, with a record of every action.",
        discussion: """
            With no command, opens the full-screen console (press ? in it for help). Credentials \
            come from ECGRID_API_KEY, never from an argument. The base URL comes from --base-url, \
            else ECGRID_BASE_URL, else \(BaseURL.production). Exit status: 0 when every requested \
            action succeeded, 1 when one failed, 2 when refused before anything was sent.
            """,
        version: ECGridKitInfo.version,
        subcommands: [UsersCommand.self, WhoamiCommand.self, ResetCommand.self, RotateKeyCommand.self, TerminateCommand.self, ProfilesCommand.self,
                      HistoryCommand.self, SandboxCommand.self])

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        do {
            try CursesTerminal.preflight()
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(ExitStatus.refused)
        }
        let opened: Connection
        do {
            opened = try await Connection.open(connection)
        } catch {
            throw fail(error, json: false)
        }
        let store = History.store(sandbox: connection.sandbox)
        let profile = opened.profile
        let recorder = ActionRecorder(
            store: store, operator: .local(), profile: profile?.name, baseURL: opened.client.baseURL.description,
            syslog: History.syslog)
        let runner = EffectRunner(
            client: opened.client, recorder: recorder, pageSize: profile?.pageSize ?? 100,
            filters: profile?.filters ?? UserListQuery())
        do {
            let abandoned = try store.closeAbandonedIntents()
            if !abandoned.isEmpty { runner.post(.abandonedActions(abandoned)) }
        } catch {
            runner.post(.historyLoaded(.failure(Failure(summary: "history", explanation: "\(error)"))))
        }
        let base = opened.client.baseURL
        let isProduction = profile?.production ?? (base.host == "rest.ecgrid.io")
        let label: String
        if connection.sandbox {
            label = "SANDBOX"
        } else if let profile {
            label = profile.label == profile.name ? "profile \(profile.name)" : "\(profile.label) (profile \(profile.name))"
        } else {
            label = isProduction ? "ECGrid" : "custom server"
        }
        let environment = ConsoleUI.Environment(
            label: label, host: base.hostAndPort, readOnly: connection.readOnly || profile?.readOnly == true,
            isProduction: isProduction)
        let status = await ConsoleLoop.run(environment: environment, runner: runner)
        await opened.close()
        if status != ExitStatus.success { throw ExitCode(status) }
    }
}
