import ArgumentParser
import ECGridKit
import Foundation
import IncidentLog

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
    @Argument(help: ArgumentHelp("User IDs, or - to read them from standard input.", valueName: "id"))
    var ids: [String] = []
    @Flag(help: "Do not ask; reset at once (for scripts).") var yes = false
    @Option(help: "Why: a ticket or incident reference, kept with the results.") var reason: String?
    @Option(help: "Resets sent at once (1 to 16).") var concurrency = 4

    func validate() throws {
        guard (1...16).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 16.") }
        if ids.isEmpty { throw ValidationError("Give at least one user ID, or - to read them from standard input.") }
    }

    func run() async throws {
        try connection.refuseIfReadOnly("reset")
        let list = UserIDList.parse(arguments: ids) {
            String(data: FileHandle.standardInput.readDataToEndOfFile(), encoding: .utf8)
        }
        guard list.problems.isEmpty else {
            for problem in list.problems { Output.error("error: \(problem)") }
            Output.error("Nothing was sent: correct the list and run again.")
            throw ExitCode(ExitStatus.refused)
        }
        if !yes && !TerminalPrompt.available {
            Output.error("error: no terminal to confirm on; nothing was sent. Pass --yes to reset without asking.")
            throw ExitCode(ExitStatus.refused)
        }
        let results: [ResetResult]
        do {
            results = try await withConnection(connection) { connection in
                try await perform(list.ids, client: connection.client, profile: connection.profile?.name)
            }
        } catch {
            throw fail(error, json: output.json)
        }
        report(results)
        for result in results {
            if let failure = result.historyFailure { Output.error("error: user \(result.userId): \(failure)") }
        }
        if results.contains(where: { !$0.succeeded || $0.historyFailure != nil }) { throw ExitCode(ExitStatus.failure) }
    }

    /// Confirms (unless --yes) and resets, returning one result per ID in the order given.
    func perform(_ ids: [Int], client: ECGridClient, profile: String?) async throws -> [ResetResult] {
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
        let recorded = await ids.concurrentMap(limit: concurrency) { id in
            await client.resetSessionsRecorded(userId: id, reason: reason, recorder: recorder)
        }
        for warning in recorder.takeWarnings() { Output.error("warning: \(warning)") }
        return recorded.map { ResetResult($0, reason: reason) }
    }

    /// Shows the targets and asks for the typed confirmation; throws when not confirmed.
    func confirm(ids: [Int], targets: [Result<User, ECGridError>]) throws {
        var rows: [[String]] = []
        var found = 0
        for (id, target) in zip(ids, targets) {
            switch target {
            case .success(let user):
                found += 1
                rows.append(user.tableRow)
            case .failure(let error):
                rows.append([String(id), "-", "(\(error.errorCode ?? error.kind.rawValue): will fail)", "-", "-", "-", "-"])
            }
        }
        let table = captureTable(User.tableHeaders, rows)
        var prompt = "About to reset the sessions of \(ids.count == 1 ? "this user" : "these \(ids.count) users"):\n"
        prompt += table
        prompt += "Every open bearer (JWT) session is invalidated; they must log in again. API keys keep working.\n"
        if let reason { prompt += "Reason: \(Output.safe(reason))\n" }
        for recent in History.recentActions(on: ids, sandbox: connection.sandbox) { prompt += "Recent: \(Output.safe(recent))\n" }
        guard found > 0 else {
            // Nothing can succeed; the results will say why, without asking.
            return
        }
        let expected = ids.count == 1 ? String(ids[0]) : String(ids.count)
        prompt += ids.count == 1
            ? "Type the user ID (\(expected)) to confirm, or press Enter to cancel: "
            : "Type the number of users (\(expected)) to confirm, or press Enter to cancel: "
        guard let answer = TerminalPrompt.ask(prompt), answer.trimmingCharacters(in: .whitespaces) == expected else {
            Output.error("Not confirmed; nothing was sent.")
            throw ExitCode(ExitStatus.refused)
        }
    }

    func captureTable(_ headers: [String], _ rows: [[String]]) -> String {
        var lines: [String] = []
        let widths = headers.indices.map { column in
            min(32, ([headers[column]] + rows.map { Output.safe($0[column]) }).map(TerminalText.width).max() ?? 0)
        }
        for row in [headers] + rows {
            lines.append("  " + row.enumerated().map { index, cell in
                TerminalText.fit(cell, to: widths[index], ascii: !Output.utf8)
            }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func report(_ results: [ResetResult]) {
        let succeeded = results.filter(\.succeeded).count
        if output.json {
            Output.json(ResetReport(results: results, succeeded: succeeded, failed: results.count - succeeded, reason: reason))
            return
        }
        let rows = results.map { result -> [String] in
            [String(result.userId), result.login ?? "-", result.resultWord,
             result.httpStatus.map(String.init) ?? "-",
             "\(result.sessionsBefore.map(String.init) ?? "?") → \(result.sessionsAfter.map(String.init) ?? "?")",
             result.latencyMs.map { "\($0) ms" } ?? "-", result.attempts.map(String.init) ?? "-",
             result.explanation ?? ""]
        }
        Output.table(["ID", "LOGIN", "RESULT", "HTTP", "SESSIONS", "LATENCY", "TRIES", "DETAIL"], rows,
            rightAligned: [0, 3, 5, 6], maxWidths: [1: 24, 7: 90])
        Output.print("\(succeeded) of \(results.count) reset, \(results.count - succeeded) failed."
            + (reason.map { " Reason: \(Output.safe($0))" } ?? ""))
        let unknown = results.filter { $0.outcome == "unknown" }.map { String($0.userId) }
        if !unknown.isEmpty {
            Output.print("OUTCOME UNKNOWN for \(unknown.joined(separator: ", ")): the request went out and no usable answer "
                + "came back, so the action may or may not have happened; check with 'ecgrid-console users show ID' "
                + "before repeating it.")
        }
    }
}

/// One line of a reset report; `--json` prints these with the API's names.
struct ResetResult: Encodable {
    var userId: Int
    var login: String?
    var succeeded: Bool
    var sent: Bool
    /// `succeeded`, `failed`, `unknown` (sent, no usable answer: check) or `not-sent`.
    var outcome: String
    var httpStatus: Int?
    var errorCode: String?
    var message: String?
    var explanation: String?
    var sessionsBefore: Int?
    var sessionsAfter: Int?
    var latencyMs: Int?
    var attempts: Int?
    var reason: String?
    /// The id of the history records of this reset.
    var actionId: String?
    /// Set when the history could not record the outcome.
    var historyFailure: String?

    init(_ recorded: RecordedAction, reason: String?) {
        let outcome = recorded.outcome
        actionId = recorded.intent?.actionId
        historyFailure = recorded.historyFailure
        userId = outcome.userId
        login = outcome.before?.login
        succeeded = outcome.succeeded
        sent = outcome.sent
        self.outcome = outcome.outcomeWord
        httpStatus = outcome.exchange?.httpStatus ?? outcome.error?.httpStatus
        errorCode = outcome.error?.errorCode
        message = outcome.exchange?.message ?? outcome.error?.serverMessage
        explanation = outcome.error.map { ($0.request.map { "\($0): " } ?? "") + $0.explanation }
        sessionsBefore = outcome.sessionsBefore
        sessionsAfter = outcome.sessionsAfter
        latencyMs = outcome.exchange?.latencyMs
        attempts = outcome.exchange?.attempts
        self.reason = reason
    }
}

extension ResetResult {
    /// The RESULT column: what happened, in a word an operator can act on.
    var resultWord: String {
        switch outcome {
        case "succeeded": "reset"
        case "unknown": "UNKNOWN"
        case "not-sent": "NOT SENT"
        default: "FAILED"
        }
    }
}

struct ResetReport: Encodable {
    var results: [ResetResult]
    var succeeded: Int
    var failed: Int
    var reason: String?
}
