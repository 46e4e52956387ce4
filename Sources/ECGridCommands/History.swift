import ArgumentParser
import ConsoleRuntime
import ConsoleUI
import ECGridKit
import IncidentLog

/// The history of this machine's operator, as the commands use it.
enum History {
    /// The history file (`HistoryStore.forRun`).
    static func store(sandbox: Bool = false) -> HistoryStore { HistoryStore.forRun(sandbox: sandbox) }

    /// The copy of every record to the system log (`SyslogForwarder.forRun`).
    static func syslog(sandbox: Bool = false) -> SyslogForwarder? { SyslogForwarder.forRun(sandbox: sandbox) }

    /// A recorder for actions against `client`, with the operator's ECGrid identity (`me`, from
    /// `GET /v2/users/me`). Throws exit status 2 (nothing sent) when the history path is unsafe:
    /// a symbolic link, or in a directory anyone may write.
    static func recorder(for client: ECGridClient, me: User?, sandbox: Bool, profile: String? = nil) throws -> ActionRecorder {
        try refuseUnsafe(store(sandbox: sandbox))
        let recorder = ActionRecorder(
            store: store(sandbox: sandbox), operator: .local(), profile: profile, baseURL: client.baseURL.description, syslog: syslog(sandbox: sandbox))
        if let me { recorder.setAPIUser(me) }
        return recorder
    }

    /// A history that cannot be read: a line on standard error, `{"error": …}` with --json, exit 1.
    static func failure(_ error: any Error, json: Bool) -> ExitCode {
        Output.error("error: \(error)")
        if json { Output.json(["error": ErrorJSON(kind: "history", explanation: "\(error)")]) }
        return ExitCode(ExitStatus.failure)
    }

    /// Stops the command with exit status 2 when the history is unsafe to use.
    static func refuseUnsafe(_ store: HistoryStore) throws {
        do {
            try store.checkSafe()
        } catch let error as HistoryError where error.isRefusal {
            throw refused(error)
        }
    }

    /// Says why the history was refused and returns exit status 2.
    static func refused(_ error: HistoryError) -> ExitCode {
        Output.error("error: \(Output.safe(error.description)). Nothing was sent.")
        return ExitCode(ExitStatus.refused)
    }

    /// Actions on `userIds` in the last hour, by anyone in this history (a team's shared file
    /// holds everyone's): `user 40011: reset 3 min ago by alice@jump1: INC-4711`.
    static func recentActions(on userIds: [Int], sandbox: Bool) -> [String] {
        RecentActions.warnings(for: userIds, in: ((try? store(sandbox: sandbox).entries()) ?? []).map(HistoryItem.init))
    }

    /// Reports (once) actions that earlier runs left without an outcome. Never fails a command.
    static func reportAbandoned(sandbox: Bool = false) {
        do {
            let found = try store(sandbox: sandbox).closeAbandonedIntents(forwardingTo: syslog(sandbox: sandbox))
            let cut = found.filter { $0.status == .missing }
            let abandoned = found.filter { $0.status != .missing }
            if !cut.isEmpty {
                Output.error("History: the file was cut or changed (recorded as a discontinuity; 'history verify' reports it); "
                    + "\(cut.count) earlier action(s) have their outcome record missing (history was cut):")
                for entry in cut { Output.error("  - \(Output.safe(entry.checkAdvice))") }
            }
            guard !abandoned.isEmpty else { return }
            Output.error("History: \(abandoned.count) earlier action(s) ended without a recorded answer; marked \"outcome unknown\":")
            for entry in abandoned { Output.error("  - \(Output.safe(entry.checkAdvice))") }
        } catch {
            Output.error("warning: \(error)")
        }
    }
}
