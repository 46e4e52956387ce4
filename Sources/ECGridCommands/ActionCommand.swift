import ArgumentParser
import ECGridActions
import ECGridKit
import Foundation
import IncidentLog

/// The options of every command that changes state (`reset`, `rotate-key`, `terminate`):
/// where to connect, how to print, and the two words every action takes.
struct ActionOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "Do not ask for the typed confirmation; act at once (for scripts).")
    var yes = false
    @Option(help: ArgumentHelp(
        "Why: a ticket or incident reference, kept in the history with every action (at most \(ActionReason.maximumLength) characters).",
        valueName: "text"))
    var reason: String?

    /// A reason longer than the history keeps is refused (exit 2) before anything is read or sent.
    func validate() throws {
        if let reason, reason.count > ActionReason.maximumLength {
            throw refuse(
                "--reason is \(reason.count) characters; at most \(ActionReason.maximumLength) are kept. Nothing was sent.",
                json: output.json, kind: "invalidInput")
        }
    }
}

/// One target of an action as the confirmation sees it: the ID asked for and its re-read.
struct ActionTarget {
    var userId: Int
    var reread: Result<User, ECGridError>

    /// The user, when the re-read succeeded.
    var user: User? { try? reread.get() }
}

/// What an action command ends with: the exit status it earns and what the history could not
/// record (said on standard error after the report).
protocol ActionResult {
    /// 0 when every action succeeded (see `ExitStatus`).
    var exitStatus: Int32 { get }
    /// `user ID: what could not be written`, one a user.
    var historyFailures: [String] { get }
}

extension [ActionReport]: ActionResult {
    var exitStatus: Int32 {
        ExitStatus.code(for: map(\.outcome), historyFailed: contains { $0.historyFailure != nil })
    }

    var historyFailures: [String] {
        compactMap { report in report.historyFailure.map { "user \(report.outcome.userId): \($0)" } }
    }
}

/// A command that changes state, as `ActionCommandRunner` runs it. The command says what it
/// acts on, how it asks, what it does through the pipeline, and how it reports; the runner
/// does the rest the same way for all of them.
protocol ActionCommand {
    associatedtype Result: ActionResult
    /// `--yes`, `--reason`, the connection and the output options.
    var action: ActionOptions { get }
    /// The command's name in refusals (`reset`, `rotate-key`).
    var word: String { get }
    /// The users to act on; throws a refusal (exit 2) for bad input, before any connection.
    func userIds() throws -> [Int]
    /// Local checks and preparations before any connection (a password file made); throws a
    /// refusal. None by default.
    func preflight() throws
    /// The users to act on once connected (`contain --resume` finds them in the history); the
    /// IDs of `userIds` by default.
    func targets(_ ids: [Int], client: ECGridClient) async throws -> [Int]
    /// Refusals that need the server, before anything is sent: `me` is the operator
    /// (`GET /v2/users/me`, nil when it could not be read). None by default.
    func check(_ targets: [Int], me: User?) throws
    /// What the operator reads before the typed confirmation, from the targets re-read, and the
    /// answer they must type (`Confirmation.expected`).
    func confirmation(_ targets: [ActionTarget]) -> (prompt: String, expected: Confirmation.Expected)
    /// The question that ends the prompt and asks for `expected`, for `users` users.
    func question(expected: String, users: Int) -> String
    /// Does the work through the pipeline, telling `progress` as it goes.
    func act(on userIds: [Int], pipeline: ActionPipeline, progress: ProgressReporter) async -> Result
    /// Prints the result (a table, lines, or `--json`).
    func report(_ result: Result)
}

extension ActionCommand {
    func preflight() throws {}
    func targets(_ ids: [Int], client: ECGridClient) async throws -> [Int] { ids }
    func check(_ targets: [Int], me: User?) throws {}
}

/// Runs an `ActionCommand`: refuses in read-only mode or without a terminal to confirm on,
/// connects, re-reads and confirms (unless `--yes`), opens the history, acts, prints the report,
/// the warnings and what the history could not record, and exits with the status the result
/// earns. Every refusal comes before anything is sent.
enum ActionCommandRunner {
    static func run<Command: ActionCommand>(_ command: Command) async throws {
        let options = command.action
        let json = options.output.json
        try options.connection.refuseIfReadOnly(command.word, json: json)
        let ids = try command.userIds()
        try command.preflight()
        if !options.yes && !TerminalPrompt.available {
            throw refuse("no terminal to confirm on; nothing was sent. Pass --yes to \(command.word) without asking.", json: json)
        }
        let result: Command.Result
        do {
            result = try await withConnection(options.connection) { connection in
                let progress = ProgressReporter(options.output)
                let client = progress.observe(connection.client)
                let ids = try await command.targets(ids, client: client)
                // The operator, once: for the refusals that need it and for every record.
                let me = try? await client.me().value
                try command.check(ids, me: me)
                if !options.yes {
                    let targets = await ids.concurrentMap(limit: 4) { id in
                        do {
                            return ActionTarget(userId: id, reread: .success(try await client.user(id: id).value))
                        } catch {
                            return ActionTarget(userId: id, reread: .failure(.wrapping(error)))
                        }
                    }
                    try confirm(command, targets, json: json)
                }
                let recorder = try History.recorder(
                    for: client, me: me, sandbox: options.connection.sandbox, profile: connection.profile?.name)
                let result = await command.act(
                    on: ids, pipeline: ActionPipeline(client: client, recorder: recorder), progress: progress)
                progress.finish()
                for warning in recorder.takeWarnings() { Output.error("warning: \(warning)") }
                return result
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error, json: json)
        }
        command.report(result)
        for failure in result.historyFailures { Output.error("error: \(failure)") }
        if result.exitStatus != ExitStatus.success { throw ExitCode(result.exitStatus) }
    }

    /// Asks for the typed answer; throws a refusal when it cannot be had or does not match.
    /// The one rule: an answer from a successful re-read, never empty.
    private static func confirm(_ command: some ActionCommand, _ targets: [ActionTarget], json: Bool) throws {
        let (prompt, expected) = command.confirmation(targets)
        guard case .answer(let answer) = expected else {
            Output.error(prompt)
            let why = if case .refused(let why) = expected { why } else { "nothing to confirm" }
            throw refuse("\(why); nothing was sent.", json: json)
        }
        guard let typed = TerminalPrompt.ask(prompt + command.question(expected: answer, users: targets.count)),
              Confirmation.matches(typed.trimmingCharacters(in: .whitespaces), expected)
        else {
            throw refuse("not confirmed; nothing was sent.", json: json, kind: "notConfirmed")
        }
    }
}
