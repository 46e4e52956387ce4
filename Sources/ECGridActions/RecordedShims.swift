import ECGridKit
import IncidentLog

extension ECGridClient {
    /// One action with the history written ahead, through `ActionPipeline` (kept for the
    /// console's effect runner until it takes `ActionPipeline.perform`). Retries go to this
    /// client's `onRetry`, as before.
    public func performRecorded(_ action: UserAction, userId: Int, reason: String?, recorder: ActionRecorder) async -> RecordedAction {
        let onRetry = self.onRetry
        return await ActionPipeline(client: self, recorder: recorder).recorded(action, userId: userId, reason: reason) { event in
            if case .retrying(let retry) = event { onRetry?(retry) }
        }
    }

    /// Resets one user's sessions with the history written ahead (see `performRecorded`).
    public func resetSessionsRecorded(userId: Int, reason: String?, recorder: ActionRecorder) async -> RecordedAction {
        await performRecorded(.resetSessions, userId: userId, reason: reason, recorder: recorder)
    }
}
