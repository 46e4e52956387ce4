import ConsoleUI
import ECGridActions
import ECGridKit

/// The console's one way to change anything on the server: the same "record, then send"
/// pipeline the command line uses.
extension EffectRunner {
    /// Performs `action` on each user, up to four at once, each recorded before it is sent. The
    /// pipeline's retry events come back to the UI loop as `.retrying` messages; the reports
    /// come back in the order the users were given.
    func perform(_ action: UserAction, on ids: [Int], reason: String?) async -> [ActionReport] {
        await ActionPipeline(client: client, recorder: recorder).run(action, userIds: ids, reason: reason, concurrency: 4) { [self] event in
            if case .retrying(let retry) = event { post(.retrying(retry)) }
        }
    }
}
