import ECGridKit
import IncidentLog

/// The containment playbook: for each user, in the one safe order, a new password, a session
/// reset, every API key deleted, an optional notice, then a read that says what is still live.
/// Every state-changing request goes through the pipeline (intent fsynced, then send, then
/// outcome), each step its own pair of records, all tied by one playbook id; the user's own
/// `contain` records open and close the playbook, so an interrupted one is found again and
/// finished by `resume`.
///
/// A step that fails, or whose answer is lost, stops that user's playbook: nothing after it is
/// sent. The verifying read is made all the same (it changes nothing and says what is live).
/// Users run side by side, up to `concurrency` at once; each user's steps strictly in order.
package struct Containment: Sendable {
    /// The pipeline every request goes through.
    package let pipeline: ActionPipeline
    /// Where new passwords go.
    package let delivery: any PasswordDelivery

    /// The history name of a user's own playbook records.
    package static let historyName = "contain"

    package init(pipeline: ActionPipeline, delivery: any PasswordDelivery) {
        self.pipeline = pipeline
        self.delivery = delivery
    }

    /// Contains every user of `userIds` (in that order in the result).
    package func run(
        _ plan: ContainmentPlan, userIds: [Int], concurrency: Int = 4,
        events: @escaping @Sendable (ContainmentEvent) -> Void = { _ in }
    ) async -> [ContainmentReport] {
        await userIds.concurrentMap(limit: concurrency) { userId in
            let report = await contain(userId, plan: plan, earlier: nil, events: events)
            events(.finished(report))
            return report
        }
    }

    /// Finishes playbooks an earlier run left unfinished (`ContainmentHistory.unfinished`):
    /// each with its own plan and id; a step known done is not sent again, an unknown one is
    /// checked where the server can tell before it is repeated.
    package func resume(
        _ playbooks: [UnfinishedPlaybook], concurrency: Int = 4,
        events: @escaping @Sendable (ContainmentEvent) -> Void = { _ in }
    ) async -> [ContainmentReport] {
        await playbooks.concurrentMap(limit: concurrency) { playbook in
            let report = await contain(playbook.userId, plan: playbook.plan, earlier: playbook, events: events)
            events(.finished(report))
            return report
        }
    }

    // MARK: One user

    private func contain(
        _ userId: Int, plan: ContainmentPlan, earlier: UnfinishedPlaybook?, events: @escaping @Sendable (ContainmentEvent) -> Void
    ) async -> ContainmentReport {
        let actionEvents: @Sendable (ActionEvent) -> Void = { event in
            if case .retrying(let retry) = event { events(.retrying(retry)) }
        }
        let reader = pipeline.observed(pipeline.client, retriesTo: actionEvents)
        let recorder = pipeline.recorder
        let before: User
        do {
            before = try await reader.user(id: userId).value
        } catch {
            let why = "user \(userId) could not be re-read: \(ECGridError.wrapping(error).explanation)"
            return notRun(userId, plan, refusal: why, target: TargetSnapshot(userId: userId), user: nil)
        }
        let opening: HistoryRecord
        do {
            opening = try recorder.intent(
                action: Self.historyName, target: TargetSnapshot(before), reason: plan.reason, playbook: plan.mark(),
                notice: plan.notice)
        } catch {
            return notRun(userId, plan, refusal: "the history could not be written, so nothing was sent: \(error)", target: nil, user: before)
        }
        var results: [StepResult] = []
        var delivered: String?
        var stopped: StepResult?
        let run = StepRun(pipeline: pipeline, reader: reader, plan: plan, before: before, earlier: earlier, events: actionEvents)
        for step in plan.steps {
            if let stop = stopped {
                results.append(StepResult(step: step, status: nil, note: "not run: the \(stop.step.rawValue) step before it "
                    + "ended \(stop.shown)"))
                continue
            }
            var result: StepResult
            switch step {
            case .password:
                let (set, password) = await run.password()
                result = set
                if let password {
                    do {
                        delivered = try delivery.deliver(password, for: before)
                        result.note += "; the new password was \(delivered ?? "delivered")"
                    } catch {
                        result.note += "; the new password could NOT be delivered (\(error)): nobody knows it, set another"
                    }
                }
            case .sessions: result = await run.sessions()
            case .keys: result = await run.keys()
            case .notify: result = await run.notify()
            }
            events(.stepFinished(userId: userId, result))
            results.append(result)
            if result.status != .succeeded { stopped = result }
        }
        let verification = await verify(before, plan: plan, reader: reader)
        var report = ContainmentReport(
            userId: userId, target: before, steps: results, verification: verification, playbookId: plan.playbookId,
            actionId: opening.actionId, passwordDelivery: delivered, historyFailures: results.flatMap(\.historyFailures))
        let details = OutcomeDetails(
            status: report.status, sessionsBefore: before.openSessions, sessionsAfter: verification?.openSessions)
        var closing = details
        closing.explanation = results.map { "\($0.step.rawValue): \($0.shown)" }.joined(separator: "; ") + ". " + report.next
        do {
            try recorder.outcome(of: opening, closing, observation: verification)
        } catch {
            report.historyFailures.append("The containment's closing record could not be written: \(error)")
        }
        return report
    }

    /// A user whose playbook could not start: every step not run, the attempt recorded (an
    /// intent with what is known and a `not-sent` outcome saying why) when the history allows.
    private func notRun(_ userId: Int, _ plan: ContainmentPlan, refusal: String, target: TargetSnapshot?, user: User?) -> ContainmentReport {
        var report = ContainmentReport(
            userId: userId, target: user, steps: plan.steps.map { StepResult(step: $0, status: nil, note: "not run") },
            verification: nil, playbookId: plan.playbookId, actionId: nil, refusal: refusal)
        guard let target else { return report }
        do {
            let intent = try pipeline.recorder.intent(
                action: Self.historyName, target: target, reason: plan.reason, playbook: plan.mark(), notice: plan.notice)
            report.actionId = intent.actionId
            try pipeline.recorder.outcome(of: intent, OutcomeDetails(status: .notSent, explanation: refusal))
        } catch {
            report.historyFailures.append("The attempt could not be written to the history: \(error)")
        }
        return report
    }

    /// The read after the steps: open sessions and the keys still listed, and what they mean.
    private func verify(_ before: User, plan: ContainmentPlan, reader: ECGridClient) async -> Observation? {
        let user = try? await reader.user(id: before.userId).value
        let keys = try? await reader.apiKeys(userId: before.userId).value
        guard user != nil || keys != nil else { return nil }
        return Observation.after(plan.steps, user: user, keys: keys)
    }
}

extension Observation {
    /// What a read after a containment means: sessions open after a reset, or keys listed
    /// after the keys step, are alarming (someone may still hold a credential).
    static func after(_ steps: [ContainmentStep], user: User?, keys: [APIKeyRecord]?) -> Observation {
        let sessions = user?.openSessions
        var live: [String] = []
        var alarming = false
        if let sessions, sessions > 0 {
            live.append("\(sessions) open session\(sessions == 1 ? "" : "s")")
            alarming = alarming || steps.contains(.sessions)
        }
        if let keys, !keys.isEmpty {
            live.append("\(keys.count) API key\(keys.count == 1 ? "" : "s") (" + keys.map { "key \($0.keyId)" }.joined(separator: ", ") + ")")
            alarming = alarming || steps.contains(.keys)
        }
        var unread: [String] = []
        if user == nil { unread.append("the user could not be re-read") }
        if keys == nil { unread.append("the keys could not be listed") }
        var note = live.isEmpty ? "nothing live: no open session" + (keys == nil ? "" : ", no API key") + "."
            : "still live: " + live.joined(separator: ", ") + "."
        if !unread.isEmpty { note += " (" + unread.joined(separator: "; ") + ".)" }
        return Observation(
            openSessions: sessions, liveKeys: keys?.map(KeySnapshot.init), status: user?.status?.rawValue, note: note,
            alarming: alarming)
    }
}

extension ContainmentPlan {
    /// The mark every record of this plan carries (`step` nil for the playbook's own record).
    package func mark(_ step: ContainmentStep? = nil) -> PlaybookMark {
        PlaybookMark(id: playbookId, steps: steps.map(\.rawValue), step: step?.rawValue)
    }
}
