import ArgumentParser
import ECGridKit
import Foundation
import IncidentLog

/// What `rotate-key` and `terminate` share: the read-only refusal, the re-read target, the
/// typed confirmation (the ID for a new key, the login for a termination), the history
/// written ahead, and the report.
struct Escalation {
    var action: UserAction
    var connection: ConnectionOptions
    var json: Bool
    var userId: Int
    var yes: Bool
    var reason: String?
    /// `--quiet`/`--verbose`: each request to standard error with `--verbose`.
    var output = OutputOptions()

    /// Runs the action; throws the exit status when anything failed or was refused.
    func run() async throws {
        try connection.refuseIfReadOnly(action.verb, json: json)
        if let reason, reason.count > ActionReason.maximumLength {
            throw refuse("--reason is \(reason.count) characters; at most \(ActionReason.maximumLength) are kept. Nothing was sent.",
                json: json, kind: "invalidInput")
        }
        if !yes && !TerminalPrompt.available {
            throw refuse("no terminal to confirm on; nothing was sent. Pass --yes to \(action.verb) without asking.", json: json)
        }
        let recorded: RecordedAction
        do {
            recorded = try await withConnection(connection) { connection in
                let client = ProgressReporter(output).observe(connection.client)
                if !yes {
                    let target = try await client.user(id: userId).value
                    try confirm(target)
                }
                let recorder = try await History.recorder(
                    for: client, sandbox: self.connection.sandbox, profile: connection.profile?.name)
                let result = await client.performRecorded(action, userId: userId, reason: reason, recorder: recorder)
                for warning in recorder.takeWarnings() { Output.error("warning: \(warning)") }
                return result
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error, json: json)
        }
        report(recorded)
        if let failure = recorded.historyFailure { Output.error("error: user \(userId): \(failure)") }
        let status = ExitStatus.code(for: [recorded.outcome], historyFailed: recorded.historyFailure != nil)
        if status != ExitStatus.success { throw ExitCode(status) }
    }

    /// Shows the target and what the action does, and asks for the typed confirmation.
    func confirm(_ target: User) throws {
        let verb = switch action {
        case .resetSessions: "reset the sessions of"
        case .rotateKey: "generate a new API key for"
        case .terminate: "terminate"
        }
        var prompt = "About to \(verb) this user:\n"
        prompt += "  \(target.userId)  \(Output.safe(target.login))  \(Output.safe(target.displayName))  "
            + "\(target.place)  \(target.authLevel?.rawValue ?? "-")  \(target.status?.rawValue ?? "-")\n"
        // The one rule (as in the console): the answer comes from the re-read and is never empty.
        let rule = Confirmation.expected(action, targets: [userId], readable: [target])
        guard case .answer(let expected) = rule else {
            Output.error(prompt)
            let why = if case .refused(let why) = rule { why } else { "nothing to confirm" }
            throw refuse("\(why); nothing was sent.", json: json)
        }
        switch action {
        case .rotateKey:
            prompt += "A new API key is generated; the user's current key STOPS WORKING AT ONCE, for every script\n"
                + "and system that uses it. The new key is shown once, here, and recorded nowhere.\n"
            prompt += reasonLine + "Type the user ID (\(expected)) to confirm, or press Enter to cancel: "
        case .terminate:
            prompt += "PERMANENT: the account is terminated and CANNOT BE UNDONE. Every session and API key of the\n"
                + "user stops working at once.\n"
            prompt += reasonLine + "Type the user's login (\(Output.safe(expected))) to confirm, or press Enter to cancel: "
        case .resetSessions:
            prompt += reasonLine + "Type the user ID (\(expected)) to confirm, or press Enter to cancel: "
        }
        guard let answer = TerminalPrompt.ask(prompt), Confirmation.matches(answer.trimmingCharacters(in: .whitespaces), rule) else {
            throw refuse("not confirmed; nothing was sent.", json: json, kind: "notConfirmed")
        }
    }

    var reasonLine: String { reason.map { "Reason: \(Output.safe($0))\n" } ?? "" }

    func report(_ recorded: RecordedAction) {
        let outcome = recorded.outcome
        if json {
            Output.json(EscalationReport(recorded, reason: reason))
            return
        }
        let who = "\(outcome.userId) \(Output.safe(outcome.before?.login ?? ""))"
        guard outcome.succeeded else {
            let error = outcome.error
            let code = [error?.httpStatus.map { "HTTP \($0)" }, error?.errorCode].compactMap { $0 }.joined(separator: " ")
            Output.print("\(action.verb) \(who): \(outcome.status.shown)\(code.isEmpty ? "" : " (\(code))")\(outcome.sent ? "" : "; nothing was sent")")
            if let error { Output.print("  " + error.explanation) }
            if let message = outcome.exchange?.message ?? error?.serverMessage { Output.print("  Server said: \(message)") }
            if outcome.outcomeUnknown {
                Output.print("  The request reached the server and no usable answer came back: it may have acted. "
                    + "Check with 'ecgrid-console users show \(outcome.userId)' before repeating it.")
            }
            return
        }
        let exchange = outcome.exchange
        let timing = exchange.map { " (HTTP \($0.httpStatus ?? 200), \($0.latencyMs) ms)" } ?? ""
        switch action {
        case .rotateKey:
            Output.print("rotate-key \(who): \(outcome.status.shown)\(timing). The old key no longer works.")
            Output.print("New API key (shown this once, recorded nowhere; hand it over by a safe channel):")
            Output.print("  \(outcome.newKey?.revealed ?? "(none)")")
        case .terminate:
            Output.print("terminate \(who): \(outcome.status.shown)\(timing). Status now: \(outcome.after?.status?.rawValue ?? "unknown").")
        case .resetSessions:
            Output.print("reset \(who): \(outcome.status.shown)\(timing).")
        }
    }
}

/// `--json` report of an escalation. `apiKey` only for a successful rotation.
struct EscalationReport: Encodable {
    var action: String
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
    var status: String?
    var apiKey: String?
    var latencyMs: Int?
    var attempts: Int?
    var reason: String?
    var actionId: String?
    var historyFailure: String?

    init(_ recorded: RecordedAction, reason: String?) {
        let outcome = recorded.outcome
        action = outcome.action.historyName
        userId = outcome.userId
        login = outcome.before?.login
        succeeded = outcome.succeeded
        sent = outcome.sent
        self.outcome = outcome.outcomeWord
        httpStatus = outcome.exchange?.httpStatus ?? outcome.error?.httpStatus
        errorCode = outcome.error?.errorCode
        message = outcome.exchange?.message ?? outcome.error?.serverMessage
        explanation = outcome.error?.explanation
        status = (outcome.after ?? outcome.before)?.status?.rawValue
        apiKey = outcome.newKey?.revealed
        latencyMs = outcome.exchange?.latencyMs
        attempts = outcome.exchange?.attempts
        self.reason = reason
        actionId = recorded.intent?.actionId
        historyFailure = recorded.historyFailure
    }
}
