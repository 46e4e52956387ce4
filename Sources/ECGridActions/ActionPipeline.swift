import ECGridKit
import IncidentLog
import Synchronization

/// "Record, then send", in one place above the client (ECGridKit) and the history
/// (IncidentLog): the only way this tool sends a state-changing request. For each user:
/// re-read the target; append and flush the intent record (if that fails, nothing is sent);
/// send the request; append the outcome record. A failed re-read sends nothing and is still
/// recorded (an intent with the ID alone and a `not-sent` outcome saying why), so the history
/// shows every action an operator tried.
///
/// The command line's `reset`, `rotate-key` and `terminate` and the console all call `run`.
package struct ActionPipeline: Sendable {
    /// The client the requests go out on. Its own `onRetry` is not called for the pipeline's
    /// requests: their retries are events of the pipeline.
    package let client: ECGridClient
    /// Where the intents and outcomes are written.
    package let recorder: ActionRecorder

    /// A pipeline sending on `client` and recording with `recorder`.
    package init(client: ECGridClient, recorder: ActionRecorder) {
        self.client = client
        self.recorder = recorder
    }

    /// Performs `action` on every user, at most `concurrency` at once, telling `events` of
    /// every retry as it is scheduled and of every user as it finishes; returns the reports in
    /// the order of `userIds`.
    package func run(
        _ action: UserAction, userIds: [Int], reason: String?, concurrency: Int = 4,
        events: @escaping @Sendable (ActionEvent) -> Void = { _ in }
    ) async -> [ActionReport] {
        await userIds.concurrentMap(limit: concurrency) { userId in
            let report = await recorded(action, userId: userId, reason: reason, events: events)
            events(.finished(report))
            return report
        }
    }

    /// One user's action, with its intent record (see the type's description).
    func recorded(
        _ action: UserAction, userId: Int, reason: String?, events: @escaping @Sendable (ActionEvent) -> Void
    ) async -> ActionReport {
        let before: User
        do {
            before = try await observed(client, retriesTo: events).user(id: userId).value
        } catch {
            let outcome = ActionOutcome(action: action, userId: userId, sent: false, succeeded: false, error: .wrapping(error))
            return recordAttempt(outcome, reason: reason)
        }
        return await step(ActionRequest(action), on: before, reason: reason, events: events)
    }

    /// One request on a target already re-read (`before`): the intent record (with the
    /// containment's `playbook` mark when it is a step of one), the request, the outcome record.
    /// The one place an action is sent from; `run` and `Containment` both come here.
    package func step(
        _ request: ActionRequest, on before: User, reason: String?, playbook: PlaybookMark? = nil,
        events: @escaping @Sendable (ActionEvent) -> Void
    ) async -> ActionReport {
        let retries = RetryLog(request: request.line(userId: before.userId), events: events)
        var client = self.client
        client.onRetry = retries.record
        let intent: HistoryRecord
        do {
            intent = try recorder.intent(
                action: request.action.historyName, target: TargetSnapshot(before), reason: reason, playbook: playbook,
                key: request.key.map(KeySnapshot.init), notice: request.notice)
        } catch {
            let refusal = ECGridError(.invalidInput, detail: "The history could not be written, so nothing was sent: \(error)")
            var outcome = ActionOutcome(
                action: request.action, userId: before.userId, before: before, sent: false, succeeded: false, error: refusal)
            outcome.key = request.key
            return ActionReport(outcome: outcome, actionId: nil, reason: reason)
        }
        let outcome = await client.send(request, to: before)
        return recordOutcome(outcome, of: intent, retries: retries.recorded)
    }

    /// `client` telling `events` of its retries (for the reads around an action).
    func observed(_ client: ECGridClient, retriesTo events: @escaping @Sendable (ActionEvent) -> Void) -> ECGridClient {
        var copy = client
        copy.onRetry = { events(.retrying($0)) }
        return copy
    }

    /// A target that could not be re-read: the attempt is recorded with the ID alone.
    private func recordAttempt(_ outcome: ActionOutcome, reason: String?) -> ActionReport {
        let intent: HistoryRecord
        do {
            intent = try recorder.intent(
                action: outcome.action.historyName, target: TargetSnapshot(userId: outcome.userId), reason: reason)
        } catch {
            return ActionReport(
                outcome: outcome, actionId: nil, historyFailure: "The attempt could not be written to the history: \(error)",
                reason: reason)
        }
        return recordOutcome(outcome, of: intent, retries: [])
    }

    /// Appends the outcome record of `intent`; a failure to write it is reported, never hidden.
    private func recordOutcome(_ outcome: ActionOutcome, of intent: HistoryRecord, retries: [RetryEvent]) -> ActionReport {
        var report = ActionReport(outcome: outcome, actionId: intent.actionId, reason: intent.reason)
        do {
            try recorder.outcome(of: intent, OutcomeDetails(outcome, retries: retries))
        } catch {
            report.historyFailure = "The outcome could not be written to the history: \(error)"
        }
        return report
    }
}

/// What an action in progress tells the `events` callback of `ActionPipeline.run`, as it
/// happens: every retry as it is scheduled, then one `finished` per user. The pipeline hears
/// of retries through `onRetry` on its own copy of the client, so the caller's client is never
/// rewired.
package enum ActionEvent: Sendable {
    /// A request of this action is being sent again (only where `ResendRule` allows it).
    case retrying(RetryEvent)
    /// One user's action ended.
    case finished(ActionReport)
}

/// The retries of one user's action: every one goes out as an event; those of the action's own
/// request (not of its re-reads) are kept for the outcome record.
private final class RetryLog: Sendable {
    let request: String
    let events: @Sendable (ActionEvent) -> Void
    private let kept = Mutex<[RetryEvent]>([])

    init(request: String, events: @escaping @Sendable (ActionEvent) -> Void) {
        self.request = request
        self.events = events
    }

    @Sendable func record(_ event: RetryEvent) {
        if event.request == request { kept.withLock { $0.append(event) } }
        events(.retrying(event))
    }

    var recorded: [RetryEvent] { kept.withLock { $0 } }
}

extension OutcomeDetails {
    /// The outcome record's details, from what the client saw: the one place the client's
    /// answer becomes history. A new API key is never part of it.
    init(_ outcome: ActionOutcome, retries: [RetryEvent]) {
        let exchange = outcome.exchange
        let error = outcome.error
        // The history's status is the one every other part of the tool uses (ActionStatus).
        let data: String? = switch outcome.action {
        case .rotateKey: outcome.succeeded ? "a new API key (not recorded)" : nil
        default: outcome.succeeded ? exchange?.dataSummary : nil
        }
        self.init(
            status: outcome.status, httpStatus: exchange?.httpStatus ?? error?.httpStatus, success: exchange?.success,
            errorCode: error?.errorCode ?? exchange?.errorCode, message: exchange?.message ?? error?.serverMessage,
            data: data, latencyMs: exchange?.latencyMs ?? error?.latencyMs,
            attempts: exchange?.attempts ?? error?.attempts,
            retries: retries.isEmpty ? nil : retries.map { "\($0.reason), waited \($0.delay)" },
            errorKind: error?.kind.rawValue, explanation: error?.explanation,
            sessionsBefore: outcome.sessionsBefore, sessionsAfter: outcome.sessionsAfter)
    }
}
