import ConsoleProfiles
import ConsoleRuntime
import ECGridKit
import Foundation
import IncidentLog
import LineConsole

/// Wires the accessible line mode on an open connection, as `ConsoleSession` wires the
/// full-screen console: the history (refused when unsafe), the recorder, what earlier runs left
/// open, then the conversation on standard input and output. Returns the exit status.
enum LineSession {
    /// True when the line mode is asked for: `--accessible`, `ECGRID_CONSOLE_ACCESSIBLE` set to
    /// 1, `on`, `yes` or `true`, or the profile's `accessible = true`.
    static func wanted(
        flag: Bool, options: ConnectionOptions, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Bool {
        if flag { return true }
        if ["1", "on", "yes", "true"].contains((environment["ECGRID_CONSOLE_ACCESSIBLE"] ?? "").lowercased()) { return true }
        guard !options.sandbox else { return false }
        return (try? ProfileChoice.resolve(options.request, environment: environment))??.accessible ?? false
    }

    static func run(_ opened: Connection, options: ConnectionOptions) async -> Int32 {
        let store = History.store(sandbox: options.sandbox)
        do {
            try store.checkSafe()
        } catch {
            Output.error("error: \(Output.safe("\(error)")). Nothing was sent.")
            return ExitStatus.refused
        }
        let syslog = History.syslog(sandbox: options.sandbox)
        let profile = opened.profile
        let recorder = ActionRecorder(
            store: store, operator: .local(), profile: profile?.name, baseURL: opened.client.baseURL.description, syslog: syslog)
        let earlier = ((try? store.closeAbandonedIntents(forwardingTo: syslog)) ?? []).filter { $0.status != .missing }
        let base = opened.client.baseURL
        let label = ConsoleLaunch.label(
            sandbox: options.sandbox, profile: profile.map { ($0.name, $0.label) }, isProduction: profile?.production ?? base.isProduction)
        let setup = LineConsole.Setup(
            client: opened.client, recorder: recorder, label: label, host: base.hostAndPort,
            readOnly: options.readOnly || profile?.readOnly == true)
        return await LineConsole(setup, io: StandardLines(ascii: !Output.utf8)).run(announcing: earlier)
    }
}
