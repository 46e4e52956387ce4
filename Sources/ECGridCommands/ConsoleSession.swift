import ConsoleProfiles
import ConsoleRuntime
import ConsoleTerminal
import ConsoleUI
import ECGridKit
import Foundation
import IncidentLog

/// Wires the full-screen console on an open connection: the history recorder, the effect
/// runner and the environment the header shows, then hands over to `ConsoleLaunch` on the
/// curses terminal. Returns the exit status.
enum ConsoleSession {
    static func run(
        _ opened: Connection, options: ConnectionOptions, session: TokenSession? = nil, status: String? = nil
    ) async -> Int32 {
        let store = History.store(sandbox: options.sandbox)
        do {
            try store.checkSafe()
        } catch {
            // An unsafe history path: the console does not open, nothing is sent.
            Output.error("error: \(Output.safe("\(error)")). Nothing was sent.")
            return ExitStatus.refused
        }
        let profile = opened.profile
        let syslog = History.syslog(sandbox: options.sandbox)
        let recorder = ActionRecorder(
            store: store, operator: .local(), profile: profile?.name, baseURL: opened.client.baseURL.description, syslog: syslog)
        let runner = EffectRunner(
            client: opened.client, recorder: recorder, pageSize: profile?.pageSize ?? 100,
            filters: profile?.filters ?? UserListQuery(), session: session)
        ConsoleLaunch.announceAbandoned(in: store, syslog: syslog, to: runner)
        let base = opened.client.baseURL
        let isProduction = profile?.production ?? base.isProduction
        let context = ConsoleContext(
            label: ConsoleLaunch.label(
                sandbox: options.sandbox, profile: profile.map { ($0.name, $0.label) }, isProduction: isProduction),
            host: base.hostAndPort, readOnly: options.readOnly || profile?.readOnly == true,
            isProduction: isProduction, loginSession: session != nil,
            multiplexer: ConsoleContext.multiplexer(in: ProcessInfo.processInfo.environment))
        let end = await ConsoleLaunch.run(context: context, runner: runner, status: status) { try CursesTerminal() }
        if let message = end.message { Output.error(message) }
        return end.exitStatus
    }
}
