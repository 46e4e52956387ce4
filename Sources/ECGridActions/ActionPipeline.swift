import ECGridKit
import IncidentLog
import Synchronization

/// "Record, then send", in one place above the client (ECGridKit) and the history
/// (IncidentLog). For each user: re-read the target; append and flush the intent record (if
/// that fails, nothing is sent); send the request; append the outcome record. A failed re-read
/// sends nothing and is still recorded (an intent with the ID alone and a `not-sent` outcome
/// saying why), so the history shows every action an operator tried.
///
/// The command line's `reset`, `rotate-key` and `terminate` and the console all go through it.
/// Retries come back as `ActionEvent.retrying` values, in the order they are scheduled.
public struct ActionPipeline: Sendable {
    /// The client the requests go out on. Its own `onRetry` is not called for the pipeline's
    /// requests: their retries are events of the pipeline.
    public let client: ECGridClient
    /// Where the intents and outcomes are written.
    public let recorder: ActionRecorder

    /// A pipeline sending on `client` and recording with `recorder`.
    public init(client: ECGridClient, recorder: ActionRecorder) {
        self.client = client
        self.recorder = recorder
    }

    /// Performs `action` on every user, at most `concurrency` at once: every retry as it is
    /// scheduled, one `finished` per user as each ends; the stream ends after the last.
    public func perform(
        _ action: UserAction, userIds: [Int], reason: String?, concurrency: Int = 4
    ) -> AsyncStream<ActionEvent> {
        let (stream, continuation) = AsyncStream<ActionEvent>.makeStream()
        let task = Task {
            _ = await run(action, userIds: userIds, reason: reason, concurrency: concurrency) { continuation.yield($0) }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Performs `action` on every user (see `perform`), telling `events` of every retry and
    /// every finished user as they happen, and returns the reports in the order of `userIds`.
    public func run(
        _ action: UserAction, userIds: [Int], reason: String?, concurrency: Int = 4,
        events: @escaping @Sendable (ActionEvent) -> Void = { _ in }
    ) async -> [ActionReport] {
        await userIds.concurrentMap(limit: concurrency) { userId in
            let result = await recorded(action, userId: userId, reason: reason, events: events)
            let report = ActionReport(result, reason: reason)
            events(.finished(report))
            return report
        }
    }

    /// One user's action, with its intent record (see the type's description).
    public func recorded(
        _ action: UserAction, userId: Int, reason: String?, events: @escaping @Sendable (ActionEvent) -> Void = { _ in }
    ) async -> RecordedAction {
        let retries = RetryLog(request: action.request(userId: userId), events: events)
        var client = self.client
        client.onRetry = retries.record
        let before: User
        do {
            before = try await client.user(id: userId).value
        } catch {
            let outcome = ActionOutcome(action: action, userId: userId, sent: false, succeeded: false, error: .wrapping(error))
            return recordAttempt(outcome, reason: reason)
        }
        let intent: HistoryRecord
        do {
            intent = try recorder.intent(action: action.historyName, target: TargetSnapshot(before), reason: reason)
        } catch {
            let refusal = ECGridError(.invalidInput, detail: "The history could not be written, so nothing was sent: \(error)")
            return RecordedAction(
                outcome: ActionOutcome(action: action, userId: userId, before: before, sent: false, succeeded: false, error: refusal),
                intent: nil)
        }
        let outcome = await client.send(action, to: before)
        return recordOutcome(RecordedAction(outcome: outcome, intent: intent), retries: retries.recorded)
    }

    /// A target that could not be re-read: the attempt is recorded with the ID alone.
    private func recordAttempt(_ outcome: ActionOutcome, reason: String?) -> RecordedAction {
        let intent: HistoryRecord
        do {
            intent = try recorder.intent(
                action: outcome.action.historyName, target: TargetSnapshot(userId: outcome.userId), reason: reason)
        } catch {
            return RecordedAction(
                outcome: outcome, intent: nil, historyFailure: "The attempt could not be written to the history: \(error)")
        }
        return recordOutcome(RecordedAction(outcome: outcome, intent: intent), retries: [])
    }

    private func recordOutcome(_ action: RecordedAction, retries: [RetryEvent]) -> RecordedAction {
        var result = action
        guard let intent = action.intent else { return result }
        do {
            try recorder.outcome(of: intent, OutcomeDetails(action.outcome, retries: retries))
        } catch {
            result.historyFailure = "The outcome could not be written to the history: \(error)"
        }
        return result
    }
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
