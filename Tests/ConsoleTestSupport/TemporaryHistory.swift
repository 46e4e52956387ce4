import ECGridActions
import ECGridKit
import Foundation
import IncidentLog
import Synchronization

/// A history file in a private directory of its own (not made yet: the store makes it 0700 on
/// the first append), removed after `body` whatever happens.
package func withTemporaryHistory<T>(_ body: (HistoryStore) async throws -> T) async throws -> T {
    let directory = NSTemporaryDirectory() + "ecgrid-history-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try await body(HistoryStore(path: directory + "/state/history.jsonl"))
}

extension ActionPipeline {
    /// The production pipeline on `client`, recording into `store` as a test operator
    /// (alice@jump1): what the tests of the production path send through.
    package static func recording(into store: HistoryStore, client: ECGridClient) -> ActionPipeline {
        let recorder = ActionRecorder(
            store: store, operator: OperatorIdentity(localUser: "alice", host: "jump1", sshClient: nil, apiUser: nil),
            profile: "test", baseURL: client.baseURL.description)
        return ActionPipeline(client: client, recorder: recorder)
    }
}

/// Collects what a test's callbacks report, across tasks.
package final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    package init() {}
    package func append(_ value: Value) { values.withLock { $0.append(value) } }
    package var all: [Value] { values.withLock { $0 } }
}
