import ArgumentParser
import ECGridActions
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
        let recorded: ActionReport
        do {
            recorded = try await withConnection(connection) { connection in
                let progress = ProgressReporter(output)
                let client = progress.observe(connection.client)
                if !yes {
                    let target = try await client.user(id: userId).value
                    try confirm(target)
                }
                let recorder = try await History.recorder(
                    for: client, sandbox: self.connection.sandbox, profile: connection.profile?.name)
                let pipeline = ActionPipeline(client: client, recorder: recorder)
                let result = await pipeline.run(action, userIds: [userId], reason: reason) { progress.show($0) }
                for warning in recorder.takeWarnings() { Output.error("warning: \(warning)") }
                guard let report = result.first else { throw ECGridError(.invalidInput, detail: "no user to act on") }
                return report
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
        var prompt = ConfirmationPrompt.head(action, users: 1, target: target, safe: Output.safe)
        // The one rule (as in the console): the answer comes from the re-read and is never empty.
        let rule = Confirmation.expected(action, targets: [userId], readable: [target])
        guard case .answer(let expected) = rule else {
            Output.error(prompt)
            let why = if case .refused(let why) = rule { why } else { "nothing to confirm" }
            throw refuse("\(why); nothing was sent.", json: json)
        }
        if action != .resetSessions { prompt += ConfirmationPrompt.warning(action) }
        prompt += ConfirmationPrompt.reason(reason, safe: Output.safe)
            + ConfirmationPrompt.question(action, users: 1, expected: expected, safe: Output.safe)
        guard let answer = TerminalPrompt.ask(prompt), Confirmation.matches(answer.trimmingCharacters(in: .whitespaces), rule) else {
            throw refuse("not confirmed; nothing was sent.", json: json, kind: "notConfirmed")
        }
    }

    func report(_ recorded: ActionReport) {
        if json {
            Output.json(recorded.json)
        } else {
            for line in recorded.lines { Output.print(line) }
        }
    }
}

/// The options `rotate-key` and `terminate` share.
struct EscalationOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var target: UserIDArgument
    @Flag(help: "Do not ask (for scripts).") var yes = false
    @Option(help: "Why: a ticket or incident reference, kept in the history.") var reason: String?

    /// The escalation these options ask for.
    func escalation(_ action: UserAction) throws -> Escalation {
        Escalation(
            action: action, connection: connection, json: output.json, userId: try target.id(json: output.json), yes: yes,
            reason: reason, output: output)
    }
}
