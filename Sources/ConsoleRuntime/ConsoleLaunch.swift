import ConsoleUI
import ECGridKit
import IncidentLog

/// What the console decides before its first frame, apart from the terminal: the words the
/// header shows for where it runs, and the actions earlier runs left without an outcome.
package enum ConsoleLaunch {
    /// The header's environment label: `SANDBOX`, the profile (with its label when it has
    /// one), else `ECGrid` for the production service or `custom server`.
    package static func label(sandbox: Bool, profile: (name: String, label: String)?, isProduction: Bool) -> String {
        if sandbox { return "SANDBOX" }
        if let profile {
            return profile.label == profile.name ? "profile \(profile.name)" : "\(profile.label) (profile \(profile.name))"
        }
        return isProduction ? "ECGrid" : "custom server"
    }

    /// Closes the intents earlier runs left open (recorded as outcome unknown, copied to the
    /// system log) and queues them for the console, which announces them once. Those whose
    /// outcome record was cut show in the pane as OUTCOME MISSING and are not announced.
    /// A history that cannot be read is queued as such.
    package static func announceAbandoned(in store: HistoryStore, syslog: SyslogForwarder?, to runner: EffectRunner) {
        do {
            let abandoned = try store.closeAbandonedIntents(forwardingTo: syslog).filter { $0.status != .missing }
            if !abandoned.isEmpty { runner.post(.abandonedActions(abandoned.map(HistoryItem.init))) }
        } catch {
            runner.post(.historyLoaded(.failure(Failure(summary: "history", explanation: "\(error)"))))
        }
    }

    /// Runs the console on the terminal `open` makes, with the history watched meanwhile (another
    /// console or operator appending to the same file shows at once).
    package static func run(
        context: ConsoleContext, runner: EffectRunner, status: String?,
        open: @escaping @Sendable () throws -> any TerminalBackend
    ) async -> ConsoleEnd {
        let watcher = runner.watchHistory()
        defer { watcher?.stop() }
        return await ConsoleProgram.run(context: context, runner: runner, status: status, open: open)
    }
}
