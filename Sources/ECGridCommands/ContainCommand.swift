import ArgumentParser
import ECGridActions
import ECGridKit
import Foundation
import IncidentLog
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `contain ID... [--steps …] [--notify TEXT] [--password-file FILE] [--dry-run] [--watch D]`
/// and `contain --resume`: the containment playbook of a compromised account.
struct ContainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contain",
        abstract: "Contain a compromised account: new password, sessions reset, API keys deleted, notice, verified.",
        discussion: """
            Per user, in the one order that leaves an attacker no window: set a new password (generated \
            here, 20 characters, from the system's CSPRNG), then reset every session (a reset alone lets a \
            phished password log in again; a password change alone leaves sessions live), then delete \
            every API key the user holds (keys survive both), then optionally send an SMS notice; then \
            re-read the user and list the keys, and say what is still live. --steps leaves steps out; their \
            order cannot change. A step that fails, or whose answer is lost, stops that user's playbook. \
            The new password goes to exactly one place: standard output when it is a terminal, or the new \
            file --password-file names; never --json, the history, a log or syslog. With neither, nothing \
            is sent (exit 2). Each step is recorded (intent, then outcome) with one playbook id; after an \
            SSH drop, a kill or a lost answer, 'contain --resume' finishes every unfinished playbook \
            without repeating a step that was done.
            """)

    @OptionGroup var action: ActionOptions
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("User IDs, or - to read them from standard input.", valueName: "id"))
    var ids: [String] = []
    @Option(help: ArgumentHelp("The steps: any of password, sessions, keys, notify (they always run in that order).",
        valueName: "steps"))
    var steps = ContainmentStep.defaults.map(\.rawValue).joined(separator: ",")
    @Option(name: .customLong("notify"), help: ArgumentHelp(
        "The SMS notice of the notify step, at most \(ContainmentPlan.maximumNotice) characters (never a password).", valueName: "text"))
    var notice: String?
    @Option(help: ArgumentHelp(
        "A new file (made 0600, never overwritten) for the new passwords: one line a user, ID, login, password.",
        valueName: "file"), completion: .file())
    var passwordFile: String?
    @Flag(help: "Print every request the playbook would send, in order (bodies without secrets); send none.")
    var dryRun = false
    @Flag(help: "Finish the playbooks earlier runs left unfinished (on this server), instead of starting new ones.")
    var resume = false
    @Option(help: ArgumentHelp("After the containment, re-read each user for this long (e.g. 15m) and alert if sessions reappear.",
        valueName: "duration"))
    var watch: WatchDuration?
    @Option(name: .customLong("watch-every"), help: ArgumentHelp("Time between two re-reads of --watch.", valueName: "duration"))
    var watchEvery = WatchDuration(.seconds(30))
    @Option(help: "Users contained at once (1 to 16); each user's steps run strictly in order.")
    var concurrency = 4

    func validate() throws {
        guard (1...16).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 16.") }
        if let option = ids.first(where: { $0.hasPrefix("--") }) { throw ValidationError("Unknown option '\(option)'.") }
        if resume {
            if !ids.isEmpty { throw ValidationError("--resume finds its users in the history: give no ID.") }
            if dryRun { throw ValidationError("--resume and --dry-run exclude each other.") }
        } else if ids.isEmpty {
            throw ValidationError("Give at least one user ID, or - to read them from standard input (or --resume).")
        }
        do {
            _ = try ContainmentStep.parse(steps)
        } catch {
            throw ValidationError("--steps: \(error)")
        }
        if let watch, watch.duration < watchEvery.duration {
            throw ValidationError("--watch must be at least --watch-every (\(watchEvery)).")
        }
    }

    func run() async throws {
        let plan = ContainmentPlan(
            steps: (try? ContainmentStep.parse(steps)) ?? ContainmentStep.defaults, notice: notice, reason: action.reason)
        if dryRun {
            try await DryRun(command: self, plan: plan).run()
            return
        }
        let containing = Containing(command: self, plan: plan)
        defer { containing.destination.finish() }
        try await ActionCommandRunner.run(containing)
    }

    /// The IDs of the arguments or of standard input (`reset`'s rules).
    func parsedIds() throws -> [Int] {
        let list = UserIDList.parse(arguments: ids) { Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard list.problems.isEmpty else {
            for problem in list.problems { Output.error("error: \(problem)") }
            throw refuse("nothing was sent: correct the list and run again (\(list.problems.joined(separator: "; ")))",
                json: action.output.json, kind: "invalidInput")
        }
        return list.ids
    }
}

/// A duration on the command line: `90` (seconds), `30s`, `15m`, `1h`.
struct WatchDuration: ExpressibleByArgument, CustomStringConvertible, Sendable {
    var duration: Duration

    init(_ duration: Duration) { self.duration = duration }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Int64)] = [("h", 3600), ("m", 60), ("s", 1)]
        let unit = units.first { text.hasSuffix($0.0) }
        let number = unit.map { String(text.dropLast($0.0.count)) } ?? text
        guard let value = Int64(number), value > 0, value <= 24 * 3600 else { return nil }
        duration = .seconds(value * (unit?.1 ?? 1))
    }

    var description: String {
        let seconds = duration.components.seconds
        return seconds % 3600 == 0 ? "\(seconds / 3600)h" : seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds)s"
    }
}

/// A containment as `ActionCommandRunner` runs it: new playbooks for the IDs given, or the
/// unfinished ones of the history with `--resume`.
struct Containing: ActionCommand {
    let command: ContainCommand
    let plan: ContainmentPlan
    /// Where the new passwords go, made by `preflight` before anything is sent.
    let destination = PasswordDestination()
    /// With `--resume`: the unfinished playbooks found once connected (`targets`).
    private let found = Found()

    private final class Found: Sendable {
        let playbooks = Mutex<[UnfinishedPlaybook]>([])
    }

    var action: ActionOptions { command.action }
    var word: String { "contain" }
    private var json: Bool { action.output.json }

    func userIds() throws -> [Int] { command.resume ? [] : try command.parsedIds() }

    /// The one place for new passwords: the file named (made now, 0600, `O_EXCL`), else the
    /// terminal on standard output. With neither, or with `--json` and no file, nothing is sent.
    func preflight() throws {
        if let refusal = plan.refusals(operatorUser: nil, targets: []).first(where: { !$0.description.contains("GET /v2/users/me") }) {
            throw refuse("\(refusal); nothing was sent.", json: json, kind: "invalidInput")
        }
        guard command.resume || plan.steps.contains(.password) else { return }
        // A resume may have no password left to set: without a place for one, it is refused
        // only if one of its playbooks needs it (`check`, still before anything is sent).
        if command.resume, command.passwordFile == nil, json || !Output.isTerminal(STDOUT_FILENO) { return }
        if let path = command.passwordFile {
            do {
                destination.use(try PasswordFile(path: path))
            } catch {
                throw refuse("\(error); nothing was sent.", json: json, kind: "invalidInput")
            }
        } else if json {
            throw refuse("--json output never holds a password: name a new file with --password-file FILE; nothing was sent.",
                json: json, kind: "invalidInput")
        } else if !Output.isTerminal(STDOUT_FILENO) {
            throw refuse("standard output is not a terminal, so the new password has nowhere to go: name a new file with "
                + "--password-file FILE (or run on a terminal); nothing was sent.", json: json, kind: "invalidInput")
        } else {
            destination.useTerminal()
        }
    }

    /// With `--resume`, the users of the unfinished playbooks on this server.
    func targets(_ ids: [Int], client: ECGridClient) async throws -> [Int] {
        guard command.resume else { return ids }
        let playbooks = try unfinished(on: client)
        found.playbooks.withLock { $0 = playbooks }
        guard !playbooks.isEmpty else {
            throw refuse("no unfinished containment on \(client.baseURL) in the history; nothing was sent.", json: json,
                kind: "nothingToResume")
        }
        return playbooks.map(\.userId)
    }

    /// Refused before anything is sent: containing yourself, an AuthLevel too low for a step.
    func check(_ targets: [Int], me: User?) throws {
        let playbooks = found.playbooks.withLock { $0 }
        if command.resume, !destination.chosen, playbooks.contains(where: { $0.needsPassword }) {
            throw refuse("a playbook to finish still has its password step, and the new password has nowhere to go: name a "
                + "new file with --password-file FILE (or run on a terminal); nothing was sent.", json: json, kind: "invalidInput")
        }
        let plans = command.resume ? playbooks.map(\.plan) : [plan]
        for plan in plans {
            if let refusal = plan.refusals(operatorUser: me, targets: targets).first {
                throw refuse("\(refusal); nothing was sent.", json: json)
            }
        }
    }

    func confirmation(_ targets: [ActionTarget]) -> (prompt: String, expected: Confirmation.Expected) {
        var prompt: String
        if command.resume {
            let playbooks = found.playbooks.withLock { $0 }
            prompt = "About to finish \(playbooks.count) unfinished containment\(playbooks.count == 1 ? "" : "s"):\n"
            for playbook in playbooks { prompt += "  \(Output.safe(playbook.summary))\n" }
            prompt += "A step known done is not sent again; a step whose answer was lost is checked on the server first "
                + "(sessions: re-read; keys: listed again); a password step is done again with a new password.\n"
        } else {
            let count = targets.count
            prompt = "About to contain \(count == 1 ? "this user" : "these \(count) users") (in this order):\n"
            for target in targets {
                switch target.reread {
                case .success(let user): prompt += "  " + user.tableRow.map(Output.safe).joined(separator: "  ") + "\n"
                case .failure(let error): prompt += "  \(target.userId)  (\(error.codeOrWords): will not be contained)\n"
                }
            }
            for (number, step) in plan.steps.enumerated() { prompt += "  \(number + 1). \(step.summary)\n" }
            prompt += "  then verify: re-read the user and list the keys, and say what is still live.\n"
            if let notice = plan.notice { prompt += "Notice: \(Output.safe(notice))\n" }
        }
        if command.resume || plan.steps.contains(.password) { prompt += "New passwords go to: \(destination.description)\n" }
        prompt += ConfirmationPrompt.reason(action.reason, safe: Output.safe)
        let ids = targets.map(\.userId)
        for recent in History.recentActions(on: ids, sandbox: action.connection.sandbox) { prompt += "Recent: \(Output.safe(recent))\n" }
        return (prompt, Confirmation.expected(.resetSessions, targets: ids, readable: targets.compactMap(\.user)))
    }

    func question(expected: String, users: Int) -> String {
        "Type \(users == 1 ? "the user ID" : "the number of users") (\(Output.safe(expected))) to confirm, or press Enter to cancel: "
    }

    func act(on userIds: [Int], pipeline: ActionPipeline, progress: ProgressReporter) async -> ContainResult {
        let containment = Containment(pipeline: pipeline, delivery: destination.delivery(progress))
        progress.begin(command.resume ? "Finishing containments" : "Containing", total: userIds.count)
        let events: @Sendable (ContainmentEvent) -> Void = { event in
            switch event {
            case .retrying(let retry): progress.show(.retrying(retry))
            case .finished: progress.advance()
            case .stepFinished: break
            }
        }
        let reports: [ContainmentReport]
        if command.resume {
            // Found again now: a playbook another run finished since the confirmation is left alone.
            let confirmed = Set(found.playbooks.withLock { $0 }.map { "\($0.plan.playbookId) \($0.userId)" })
            let playbooks = ((try? unfinished(on: pipeline.client)) ?? []).filter { confirmed.contains("\($0.plan.playbookId) \($0.userId)") }
            reports = await containment.resume(playbooks, concurrency: command.concurrency, events: events)
        } else {
            reports = await containment.run(plan, userIds: userIds, concurrency: command.concurrency, events: events)
        }
        progress.finish()
        var result = ContainResult(reports: reports, reason: action.reason, playbookId: command.resume ? nil : plan.playbookId)
        if let watch = command.watch {
            result.watched = await watchUsers(reports, for: watch.duration, pipeline: pipeline, progress: progress)
        }
        return result
    }

    /// `--watch`: re-reads every contained user in the foreground, a line on the terminal, an
    /// alert (and an observation record) when sessions reappear.
    private func watchUsers(
        _ reports: [ContainmentReport], for duration: Duration, pipeline: ActionPipeline, progress: ProgressReporter
    ) async -> [Observation] {
        let targets = reports.compactMap { ContainmentWatch.Target($0, reason: action.reason) }
        guard !targets.isEmpty else { return [] }
        let watch = ContainmentWatch(
            client: pipeline.client, recorder: pipeline.recorder, interval: command.watchEvery.duration, duration: duration)
        progress.begin("Watching \(targets.count) contained user\(targets.count == 1 ? "" : "s")", total: watch.rounds)
        let json = self.json
        let seen = await watch.run(targets) { event in
            switch event {
            case .round(let round, _): progress.update(done: round)
            case .sessionsSeen(let target, let observation):
                guard !json else { return }
                progress.clearing {
                    Output.print("ALERT \(ECGridDate(Date()).text): user \(target.userId) \(Output.safe(target.login)): "
                        + observation.note + ". Recorded; check who, and escalate (rotate-key, terminate).")
                }
            case .readFailed(let target, let error):
                guard !json else { return }
                progress.clearing { Output.error("warning: user \(target.userId) could not be re-read: \(error.explanation)") }
            }
        }
        progress.finish()
        return seen
    }

    func report(_ result: ContainResult) {
        if json {
            Output.json(result.json)
            return
        }
        for report in result.reports { Output.print(ContainResult.lines(report).joined(separator: "\n")) }
        Output.print("Contain: \(ActionStatus.summary(result.reports.map(\.status)))."
            + (action.reason.map { " Reason: \(Output.safe($0))" } ?? ""))
        if !result.watched.isEmpty {
            Output.print("The watch saw sessions again \(result.watched.count) time(s): someone still holds a credential. "
                + "The observations are in the history.")
        }
    }

    /// The unfinished playbooks on the client's server, oldest first.
    private func unfinished(on client: ECGridClient) throws -> [UnfinishedPlaybook] {
        let store = History.store(sandbox: action.connection.sandbox)
        return ContainmentHistory.unfinished(in: HistoryEntry.entries(from: try store.lines()), baseURL: client.baseURL.description)
    }
}
