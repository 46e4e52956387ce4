import ArgumentParser
import ECGridActions
import ECGridKit
import Foundation
import IncidentLog

#if canImport(Glibc)
import Glibc
#endif

/// `reset ID... [--yes] [--reason TEXT] [--json]`: revoke every bearer session of the users.
struct ResetCommand: AsyncParsableCommand, ActionCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Invalidate every open JWT session of the users (POST /v2/users/reset/{id}).",
        discussion: """
            Each target is re-read first; the request goes out only after confirmation: type the \
            user's ID (or, for several users, their number) at the terminal, or pass --yes. With \
            no terminal and no --yes nothing is sent. API keys keep working after a reset. \
            Give '-' to read IDs from standard input, one a line ('#' starts a comment). \
            Every reset is written to the history before it is sent, and its outcome after.
            """)

    @OptionGroup var action: ActionOptions
    // Every argument the parser does not know is taken as an ID, so `reset -1` is refused as a
    // bad ID (exit 2) like `reset abc`, not taken for an option.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("User IDs, or - to read them from standard input.", valueName: "id"))
    var ids: [String] = []
    @Option(help: "Resets sent at once (1 to 16).") var concurrency = 4

    var word: String { "reset" }

    func validate() throws {
        guard (1...16).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 16.") }
        if ids.isEmpty { throw ValidationError("Give at least one user ID, or - to read them from standard input.") }
        if let option = ids.first(where: { $0.hasPrefix("--") }) { throw ValidationError("Unknown option '\(option)'.") }
    }

    func run() async throws {
        try await ActionCommandRunner.run(self)
    }

    /// The IDs of the arguments (or standard input); any invalid one refuses the whole list.
    func userIds() throws -> [Int] {
        let list = UserIDList.parse(arguments: ids) { Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard list.problems.isEmpty else {
            for problem in list.problems { Output.error("error: \(problem)") }
            throw refuse("nothing was sent: correct the list and run again (\(list.problems.joined(separator: "; ")))",
                json: action.output.json, kind: "invalidInput")
        }
        return list.ids
    }

    /// The targets as a table (a target that could not be re-read says so), what a reset does,
    /// the reason and the recent actions on these users.
    func confirmation(_ targets: [ActionTarget]) -> (prompt: String, expected: Confirmation.Expected) {
        let rows = targets.map { target -> [String] in
            switch target.reread {
            case .success(let user): user.tableRow
            case .failure(let error): [String(target.userId), "-", "(\(error.codeOrWords): will fail)", "-", "-", "-", "-"]
            }
        }
        let table = TextTable(User.tableHeaders, rows.map { $0.map(Output.safe) }, defaultMaxWidth: 32, indent: "  ")
            .text(ascii: !Output.utf8)
        let ids = targets.map(\.userId)
        var prompt = ConfirmationPrompt.head(.resetSessions, users: ids.count, target: nil) + table
        prompt += ConfirmationPrompt.warning(.resetSessions) + ConfirmationPrompt.reason(action.reason, safe: Output.safe)
        for recent in History.recentActions(on: ids, sandbox: action.connection.sandbox) { prompt += "Recent: \(Output.safe(recent))\n" }
        return (prompt, Confirmation.expected(.resetSessions, targets: ids, readable: targets.compactMap(\.user)))
    }

    func question(expected: String, users: Int) -> String {
        ConfirmationPrompt.question(.resetSessions, users: users, expected: expected, safe: Output.safe)
    }

    /// Resets every user through the pipeline; a bulk reset shows how far it is (the
    /// confirmation is over: nothing else is on the line).
    func act(on userIds: [Int], pipeline: ActionPipeline, progress: ProgressReporter) async -> [ActionReport] {
        if userIds.count > 1 { progress.begin("Resetting sessions", total: userIds.count) }
        return await pipeline.run(.resetSessions, userIds: userIds, reason: action.reason, concurrency: concurrency) { event in
            progress.show(event)
        }
    }

    func report(_ reports: [ActionReport]) {
        let words = reports.map(\.status)
        let reason = action.reason
        if action.output.json {
            Output.json(ActionReport.BatchJSON(reports, reason: reason))
            return
        }
        let rows = reports.map { report -> [String] in
            let result = report.json
            return [String(result.userId), result.login ?? "-", report.status.shown,
             result.httpStatus.map(String.init) ?? "-",
             "\(result.sessionsBefore.map(String.init) ?? "?") → \(result.sessionsAfter.map(String.init) ?? "?")",
             result.latencyMs.map { "\($0) ms" } ?? "-", result.attempts.map(String.init) ?? "-",
             [result.explanation, result.message.map { "Server said: \($0)" }].compactMap { $0 }.joined(separator: " ")]
        }
        // DETAIL is cut to the terminal's width on a terminal only; a file or a pipe gets it whole.
        let detailWidth = Output.isTerminal(STDOUT_FILENO) ? 90 : Int.max
        Output.table(["ID", "LOGIN", "RESULT", "HTTP", "SESSIONS", "LATENCY", "TRIES", "DETAIL"], rows,
            rightAligned: [0, 3, 5, 6], maxWidths: [1: 24, 7: detailWidth])
        Output.print("Reset sessions: \(ActionStatus.summary(words))." + (reason.map { " Reason: \($0)" } ?? ""))
        let unknown = reports.filter { $0.status == .unknown }.map { String($0.outcome.userId) }
        if !unknown.isEmpty {
            Output.print("OUTCOME UNKNOWN for \(unknown.joined(separator: ", ")): the request went out and no usable answer "
                + "came back, so the action may or may not have happened; check with 'ecgrid-console users show ID' "
                + "before repeating it.")
        }
    }
}
