import ECGridKit
import IncidentLog

/// The steps of one user's playbook, each sent through the pipeline with its playbook mark.
/// With `earlier` (a `--resume`), a step an earlier run did is not sent again, and one whose
/// answer was lost is first checked where the server can tell: sessions by a re-read, keys by
/// listing them again. A password whose answer was lost is set again, with a new password.
struct StepRun: Sendable {
    let pipeline: ActionPipeline
    /// The client for reads, telling the caller of its retries.
    let reader: ECGridClient
    let plan: ContainmentPlan
    let before: User
    let earlier: UnfinishedPlaybook?
    let events: @Sendable (ActionEvent) -> Void

    private var userId: Int { before.userId }

    private func send(_ request: ActionRequest, _ step: ContainmentStep) async -> ActionReport {
        await pipeline.step(request, on: before, reason: plan.reason, playbook: plan.mark(step), events: events)
    }

    /// How an earlier run left `step`, when there was one.
    private func earlierStatus(_ step: ContainmentStep) -> ActionStatus? { earlier?.stepStatus[step] }

    private func doneEarlier(_ step: ContainmentStep) -> StepResult {
        StepResult(step: step, status: .succeeded, note: "done in an earlier run (\(earlier?.startedAt ?? "")); not sent again", earlier: true)
    }

    /// Sets a new password, made here from the CSPRNG; returns it when the server confirmed.
    func password() async -> (StepResult, Secret?) {
        let before = earlierStatus(.password)
        if before == .succeeded { return (doneEarlier(.password), nil) }
        var password = PasswordPolicy.generate()
        // Never a password the notice would give away (it cannot know it, but a check costs nothing).
        while let notice = plan.notice, notice.contains(password.revealed) { password = PasswordPolicy.generate() }
        let report = await send(.setPassword(password), .password)
        var note = report.status == .succeeded ? "new password set; the old one no longer logs in" : Self.words(report)
        if let before, before != .notSent, before != .failed {
            note = "an earlier attempt ended \(before.shown), so a new password was set again (only this one counts); " + note
        }
        return (StepResult(step: .password, status: report.status, reports: [report], note: note),
                report.status == .succeeded ? password : nil)
    }

    /// Resets the sessions; after a lost answer, first re-reads: no open session means done.
    func sessions() async -> StepResult {
        let before = earlierStatus(.sessions)
        if before == .succeeded { return doneEarlier(.sessions) }
        if let before, before.mayHaveActed, let user = try? await reader.user(id: userId).value, user.openSessions == 0 {
            let observation = Observation(
                openSessions: 0, liveKeys: nil, status: user.status?.rawValue,
                note: "the earlier reset ended \(before.shown); a re-read shows no open session, so it is done", alarming: false)
            var result = StepResult(step: .sessions, status: .succeeded, note: "checked on the server: no open session, not sent again",
                earlier: true)
            do {
                try pipeline.recorder.observation(
                    observation, action: "check", target: TargetSnapshot(user), reason: plan.reason, playbook: plan.mark(.sessions))
            } catch {
                result.note += " (the check could not be recorded: \(error))"
            }
            return result
        }
        let report = await send(ActionRequest(.resetSessions), .sessions)
        let note = report.status == .succeeded
            ? "every bearer session revoked (open sessions went from \(Self.count(report.outcome.sessionsBefore)) to "
                + "\(Self.count(report.outcome.sessionsAfter)))"
            : Self.words(report)
        return StepResult(step: .sessions, status: report.status, reports: [report], note: note)
    }

    /// Lists the keys (again, on a resume: what is gone needs no deleting) and deletes each. A
    /// 404 for a listed key means it is gone already; the first other failure stops the step.
    func keys() async -> StepResult {
        if earlierStatus(.keys) == .succeeded { return doneEarlier(.keys) }
        let keys: [APIKeyRecord]
        do {
            keys = try await reader.apiKeys(userId: userId).value
        } catch {
            return StepResult(step: .keys, status: .notSent,
                note: "the keys could not be listed (\(ECGridError.wrapping(error).explanation)); none was deleted")
        }
        var notes: [String] = []
        let checked = (earlier?.keyStatus ?? [:]).filter { $0.value.mayHaveActed && !keys.map(\.keyId).contains($0.key) }
        if !checked.isEmpty {
            notes.append("key " + checked.keys.sorted().map(String.init).joined(separator: ", ")
                + " (answer lost earlier) no longer listed: gone")
        }
        guard !keys.isEmpty else {
            return StepResult(step: .keys, status: .succeeded, note: (notes + ["no API key listed: nothing to delete"]).joined(separator: "; "))
        }
        var reports: [ActionReport] = []
        var deleted = 0
        for key in keys {
            let report = await send(.deleteKey(key), .keys)
            reports.append(report)
            if report.status == .succeeded {
                deleted += 1
            } else if report.outcome.error?.httpStatus == 404 {
                notes.append("\(key.label) was already gone (HTTP 404)")
            } else {
                let rest = keys.count - reports.count
                notes.append("\(key.label): " + Self.words(report) + (rest > 0 ? "; the \(rest) key(s) after it were not deleted" : ""))
                return StepResult(step: .keys, status: report.status, reports: reports,
                    note: (["\(deleted) of \(keys.count) key(s) deleted"] + notes).joined(separator: "; "))
            }
        }
        return StepResult(step: .keys, status: .succeeded, reports: reports,
            note: (["\(deleted) key(s) deleted: " + keys.map { "key \($0.keyId)" }.joined(separator: ", ")] + notes).joined(separator: "; "))
    }

    /// Sends the notice. One whose answer was lost is not sent again: an SMS cannot be checked,
    /// and a second one would confuse the user.
    func notify() async -> StepResult {
        let before = earlierStatus(.notify)
        if before == .succeeded { return doneEarlier(.notify) }
        if let before, before.mayHaveActed {
            return StepResult(step: .notify, status: .unknown,
                note: "an earlier notice ended \(before.shown): it may have been delivered, so it is not sent again; "
                    + "send another with 'contain \(userId) --steps notify --notify TEXT' if the user did not get it",
                earlier: true)
        }
        let report = await send(.sendNotice(plan.notice ?? ""), .notify)
        let note = report.status == .succeeded ? "the server accepted the notice for the user's cell number" : Self.words(report)
        return StepResult(step: .notify, status: report.status, reports: [report], note: note)
    }

    /// A failed or unknown request in a few words: its status, code and what it means.
    static func words(_ report: ActionReport) -> String {
        let error = report.outcome.error
        let code = error?.headline ?? ""
        return "\(report.status.shown)" + (code.isEmpty ? "" : " (\(code))") + (error.map { ": \($0.explanation)" } ?? "")
    }

    static func count(_ value: Int?) -> String { value.map(String.init) ?? "?" }
}

extension ActionStatus {
    /// True when an action that ended this way may have been carried out by the server: a lost
    /// answer (`unknown`), a cut outcome (`missing`), one still in flight.
    package var mayHaveActed: Bool { self == .unknown || self == .missing || self == .inFlight }
}
