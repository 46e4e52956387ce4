import ECGridActions
import ECGridKit
import Synchronization

/// `contain ID…` and `resume` in the accessible console: the plan with numbered steps, the
/// notice, the reason and the typed confirmation, each one line; the steps said as they end;
/// each new password said once with a warning; then the watch, whose alerts are said at once.
extension LineConsole {
    func contain(_ text: String) async {
        if let refusal = readOnlyRefusal("contain") { return io.say(refusal) }
        let ids: [Int]
        switch self.ids(text) {
        case .failure(let refusal): return io.say(refusal.text)
        case .success(let found): ids = found
        }
        let users = await reread(ids)
        guard !users.isEmpty else { return io.say("No target could be re-read; nothing was sent.") }
        for user in users {
            if let keys = try? await client.apiKeys(userId: user.userId).value {
                io.say("User \(user.userId) holds \(keys.count) API key\(keys.count == 1 ? "" : "s")"
                    + (keys.isEmpty ? "." : ": " + keys.map(\.label).map(LineWords.safe).joined(separator: ", ") + "."))
            }
        }
        io.say("The steps, always in this order: "
            + ContainmentStep.allCases.enumerated().map { "\($0.offset + 1) \($0.element.rawValue): \($0.element.summary)" }
                .joined(separator: "; ") + ". Then a read verifies what is still live.")
        let choice = await ask("Press Enter for steps 1 2 3, or type the numbers of the steps to run (for example 1 2 3 4): ")
        guard let steps = Self.steps(choice) else { return io.say("Those are not step numbers (1 to 4); nothing was sent.") }
        var notice: String?
        if steps.contains(.notify) {
            let text = await ask("Type the SMS notice (at most \(ContainmentPlan.maximumNotice) characters, never a password), or an empty line to cancel: ")
            guard !text.isEmpty else { return io.say("Cancelled; nothing was sent.") }
            notice = text
        }
        guard let reason = await reason() else { return }
        let plan = ContainmentPlan(steps: steps, notice: notice, reason: reason)
        let me = state.withLock { $0.me }
        if let refusal = plan.refusals(operatorUser: me, targets: ids).first {
            return io.say("Refused: \(LineWords.safe(refusal.description)); nothing was sent.")
        }
        recent(ids)
        let expected = Confirmation.expected(.resetSessions, targets: ids, readable: users)
        guard case .answer(let answer) = expected else {
            if case .refused(let why) = expected { io.say("Refused: \(LineWords.safe(why)); nothing was sent.") }
            return
        }
        let whom = ids.count == 1 ? "\(ids[0]) \(LineWords.safe(users[0].login))" : "these \(ids.count) users"
        let typed = await ask("Type \(answer) to contain \(whom) with steps \(plan.steps.map(\.rawValue).joined(separator: ", ")), "
            + "or an empty line to cancel: ")
        guard Confirmation.matches(typed, expected) else {
            return io.say(typed.isEmpty ? "Cancelled; nothing was sent." : "That does not match; nothing was sent.")
        }
        let reports = await inFlight(ids) { await run { containment, events in
            await containment.run(plan, userIds: ids, concurrency: 4, events: events)
        } }
        finish(reports, reason: reason)
    }

    func resume() async {
        if let refusal = readOnlyRefusal("resume") { return io.say(refusal) }
        let playbooks = unfinishedPlaybooks()
        guard !playbooks.isEmpty else { return io.say("No containment on this server is unfinished.") }
        for playbook in playbooks { io.say("Unfinished: \(LineWords.safe(playbook.summary)).") }
        io.say("A step known done is not sent again; one whose answer was lost is checked on the server first; a password "
            + "step is done again with a new password.")
        let answer = playbooks.count == 1 ? String(playbooks[0].userId) : String(playbooks.count)
        let typed = await ask("Type \(answer) (\(playbooks.count == 1 ? "the ID" : "the number of users")) to finish "
            + "\(playbooks.count == 1 ? "it" : "them"), or an empty line to cancel: ")
        guard typed == answer else { return io.say(typed.isEmpty ? "Cancelled; nothing was sent." : "That does not match; nothing was sent.") }
        let reports = await inFlight(playbooks.map(\.userId)) { await run { containment, events in
            await containment.resume(playbooks, concurrency: 4, events: events)
        } }
        finish(reports, reason: playbooks.first?.plan.reason)
    }

    /// Runs a containment with the passwords said here, once, and its steps said as they end.
    private func run(
        _ body: (Containment, @escaping @Sendable (ContainmentEvent) -> Void) async -> [ContainmentReport]
    ) async -> [ContainmentReport] {
        let delivery = SaidPasswords(io: io)
        let io = self.io
        let events: @Sendable (ContainmentEvent) -> Void = { event in
            if case .stepFinished(let userId, let result) = event {
                let number = (ContainmentStep.allCases.firstIndex(of: result.step) ?? 0) + 1
                io.say("User \(userId): \(LineWords.step(result, number: number))")
            }
        }
        let reports = await body(Containment(pipeline: pipeline, delivery: delivery), events)
        if delivery.count > 0 {
            _ = await ask("Press Enter once you have stored the new password\(delivery.count == 1 ? "" : "s"); "
                + "\(delivery.count == 1 ? "it" : "they") will not be shown again: ")
        }
        return reports
    }

    /// The reports in sentences, then the watch of the users whose sessions were reset.
    private func finish(_ reports: [ContainmentReport], reason: String?) {
        for report in reports {
            let who = "\(report.userId)" + (report.target.map { " \(LineWords.safe($0.login))" } ?? "")
            io.say("Contain \(who): \(report.status.shown). "
                + (report.verification.map { "Verified: \(LineWords.safe($0.note)) " } ?? "")
                + (report.refusal.map { "\(LineWords.safe($0)). " } ?? "") + "Next: \(report.next)")
        }
        if reports.count > 1 { io.say("Contain: \(ActionStatus.summary(reports.map(\.status))).") }
        let targets = reports.compactMap { ContainmentWatch.Target($0, reason: reason) }
        guard !targets.isEmpty else { return }
        let watch = ContainmentWatch(
            client: client, recorder: setup.recorder, interval: setup.watchInterval, duration: setup.watchDuration)
        let io = self.io
        let task = Task {
            _ = await watch.run(targets) { event in
                if case .sessionsSeen(let target, let observation) = event {
                    io.say("")
                    io.say("ALERT: user \(target.userId) \(LineWords.safe(target.login)): \(LineWords.safe(observation.note)). "
                        + "Recorded in the history. Check who, and escalate (rotate-key, terminate).")
                }
            }
        }
        state.withLock { $0.watches.append(task) }
        io.say("Watching \(targets.count) contained user\(targets.count == 1 ? "" : "s") every \(Self.words(setup.watchInterval)) "
            + "for \(Self.words(setup.watchDuration)); an alert is said here if sessions appear again.")
    }

    /// `1 2 3 4` (or an empty line for the default) as steps; nil when a word is no step number.
    static func steps(_ text: String) -> [ContainmentStep]? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," })
        if words.isEmpty { return ContainmentStep.defaults }
        var steps: [ContainmentStep] = []
        for word in words {
            guard let number = Int(word), ContainmentStep.allCases.indices.contains(number - 1) else { return nil }
            steps.append(ContainmentStep.allCases[number - 1])
        }
        return steps
    }

    static func words(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        return seconds % 60 == 0 ? "\(seconds / 60) minute\(seconds == 60 ? "" : "s")" : "\(seconds) seconds"
    }
}

/// The accessible console's place for new passwords: said at once, with a warning, and kept
/// nowhere (the count only, to ask the operator to store them before going on).
final class SaidPasswords: PasswordDelivery {
    let io: any LineIO
    private let said = Mutex(0)

    init(io: any LineIO) { self.io = io }

    var count: Int { said.withLock { $0 } }

    func deliver(_ password: Secret, for user: User) throws -> String {
        io.say("Warning: the new password of \(user.userId) \(LineWords.safe(user.login)) follows, shown this once and recorded nowhere.")
        io.say("New password: \(password.revealed)")
        said.withLock { $0 += 1 }
        return "said once on this terminal"
    }
}
