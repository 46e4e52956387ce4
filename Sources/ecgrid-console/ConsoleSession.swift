import ConsoleRuntime
import Foundation
import ConsoleUI
import ECGridKit
import IncidentLog

/// Runs the full-screen console on an open connection: the history recorder, the effect
/// runner, the environment the header shows, and the loop. Returns the exit status.
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
        let recorder = ActionRecorder(
            store: store, operator: .local(), profile: profile?.name, baseURL: opened.client.baseURL.description,
            syslog: History.syslog(sandbox: options.sandbox))
        let runner = EffectRunner(
            client: opened.client, recorder: recorder, pageSize: profile?.pageSize ?? 100,
            filters: profile?.filters ?? UserListQuery(), session: session)
        do {
            // Actions whose outcome was cut show in the pane as OUTCOME MISSING; only those
            // closed as unknown are announced as such.
            let abandoned = try store.closeAbandonedIntents(forwardingTo: History.syslog(sandbox: options.sandbox))
                .filter { $0.status != .missing }
            if !abandoned.isEmpty { runner.post(.abandonedActions(abandoned.map(HistoryItem.init))) }
        } catch {
            runner.post(.historyLoaded(.failure(Failure(summary: "history", explanation: "\(error)"))))
        }
        let base = opened.client.baseURL
        let isProduction = profile?.production ?? base.isProduction
        let label: String
        if options.sandbox {
            label = "SANDBOX"
        } else if let profile {
            label = profile.label == profile.name ? "profile \(profile.name)" : "\(profile.label) (profile \(profile.name))"
        } else {
            label = isProduction ? "ECGrid" : "custom server"
        }
        let environment = ConsoleUI.Environment(
            label: label, host: base.hostAndPort, readOnly: options.readOnly || profile?.readOnly == true,
            isProduction: isProduction, loginSession: session != nil,
            multiplexer: ConsoleUI.Environment.multiplexer(in: ProcessInfo.processInfo.environment))
        // Another console or operator appending to the same history shows here at once.
        let watcher = runner.watchHistory()
        defer { watcher?.stop() }
        return await ConsoleLoop.run(environment: environment, runner: runner, status: status)
    }
}
