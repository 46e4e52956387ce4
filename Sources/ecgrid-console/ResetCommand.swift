import ArgumentParser
import ECGridActions
import ECGridKit
import Foundation
import IncidentLog

#if canImport(Glibc)
import Glibc
#endif

/// `reset ID... [--yes] [--reason TEXT] [--json]`: revoke every bearer session of the users.
struct ResetCommand: AsyncParsableCommand {
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

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    // Every argument the parser does not know is taken as an ID, so `reset -1` is refused as a
    // bad ID (exit 2) like `reset abc`, not taken for an option.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("User IDs, or - to read them from standard input.", valueName: "id"))
    var ids: [String] = []
    @Flag(help: "Do not ask; reset at once (for scripts).") var yes = false
    @Option(help: "Why: a ticket or incident reference, kept with the results.") var reason: String?
    @Option(help: "Resets sent at once (1 to 16).") var concurrency = 4

    func validate() throws {
        guard (1...16).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 16.") }
        if ids.isEmpty { throw ValidationError("Give at least one user ID, or - to read them from standard input.") }
        if let option = ids.first(where: { $0.hasPrefix("--") }) { throw ValidationError("Unknown option '\(option)'.") }
    }

    func run() async throws {
        try connection.refuseIfReadOnly("reset", json: output.json)
        if let reason, reason.count > ActionReason.maximumLength {
            throw refuse("--reason is \(reason.count) characters; at most \(ActionReason.maximumLength) are kept. Nothing was sent.",
                json: output.json, kind: "invalidInput")
        }
        let list = UserIDList.parse(arguments: ids) { Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard list.problems.isEmpty else {
            for problem in list.problems { Output.error("error: \(problem)") }
            throw refuse("nothing was sent: correct the list and run again (\(list.problems.joined(separator: "; ")))",
                json: output.json, kind: "invalidInput")
        }
        if !yes && !TerminalPrompt.available {
            throw refuse("no terminal to confirm on; nothing was sent. Pass --yes to reset without asking.", json: output.json)
        }
        let results: [ActionReport]
        do {
            results = try await withConnection(connection) { connection in
                try await perform(list.ids, client: connection.client, profile: connection.profile?.name)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error, json: output.json)
        }
        report(results)
        for result in results {
            if let failure = result.historyFailure { Output.error("error: user \(result.outcome.userId): \(failure)") }
        }
        let status = ExitStatus.code(for: results.map(\.outcome), historyFailed: results.contains { $0.historyFailure != nil })
        if status != ExitStatus.success { throw ExitCode(status) }
    }

    /// Confirms (unless --yes) and resets, returning one result per ID in the order given.
    func perform(_ ids: [Int], client plainClient: ECGridClient, profile: String?) async throws -> [ActionReport] {
        let progress = ProgressReporter(output)
        let client = progress.observe(plainClient)
        if !yes {
            let targets = await ids.concurrentMap(limit: concurrency) { id -> Result<User, ECGridError> in
                do {
                    return .success(try await client.user(id: id).value)
                } catch {
                    return .failure(error as? ECGridError ?? ECGridError(.transport))
                }
            }
            try confirm(ids: ids, targets: targets)
        }
        let recorder = try await History.recorder(for: client, sandbox: connection.sandbox, profile: profile)
        let reason = self.reason
        // A bulk reset shows how far it is (the confirmation is over: nothing else is on the line).
        if ids.count > 1 { progress.begin("Resetting sessions", total: ids.count) }
        let pipeline = ActionPipeline(client: client, recorder: recorder)
        let reports = await pipeline.run(.resetSessions, userIds: ids, reason: reason, concurrency: concurrency) { event in
            progress.show(event)
        }
        progress.finish()
        for warning in recorder.takeWarnings() { Output.error("warning: \(warning)") }
        return reports
    }

    /// Shows the targets and asks for the typed confirmation; throws when not confirmed.
    func confirm(ids: [Int], targets: [Result<User, ECGridError>]) throws {
        var rows: [[String]] = []
        var readable: [User] = []
        for (id, target) in zip(ids, targets) {
            switch target {
            case .success(let user):
                readable.append(user)
                rows.append(user.tableRow)
            case .failure(let error):
                rows.append([String(id), "-", "(\(error.codeOrWords): will fail)", "-", "-", "-", "-"])
            }
        }
        let table = TextTable(User.tableHeaders, rows.map { $0.map(Output.safe) }, defaultMaxWidth: 32, indent: "  ")
            .text(ascii: !Output.utf8)
        var prompt = ConfirmationPrompt.head(.resetSessions, users: ids.count, target: nil) + table
        prompt += ConfirmationPrompt.warning(.resetSessions) + ConfirmationPrompt.reason(reason, safe: Output.safe)
        for recent in History.recentActions(on: ids, sandbox: connection.sandbox) { prompt += "Recent: \(Output.safe(recent))\n" }
        // The one rule: an answer from a successful re-read, never empty; else refused.
        let rule = Confirmation.expected(.resetSessions, targets: ids, readable: readable)
        guard case .answer(let expected) = rule else {
            Output.error(prompt)
            let why = if case .refused(let why) = rule { why } else { "nothing to confirm" }
            throw refuse("\(why); nothing was sent.", json: output.json)
        }
        prompt += ConfirmationPrompt.question(.resetSessions, users: ids.count, expected: expected, safe: Output.safe)
        guard let answer = TerminalPrompt.ask(prompt), Confirmation.matches(answer.trimmingCharacters(in: .whitespaces), rule) else {
            throw refuse("not confirmed; nothing was sent.", json: output.json, kind: "notConfirmed")
        }
    }

    func report(_ reports: [ActionReport]) {
        let words = reports.map(\.status)
        if output.json {
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
