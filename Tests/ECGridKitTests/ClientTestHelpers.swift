import ECGridKit
import Foundation
import Synchronization

/// Collects what a test's callbacks report, across tasks.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}

extension ECGridClient {
    /// The same client with an API key.
    func with(key: String) -> ECGridClient { withCredentials(StaticCredential(.apiKey(Secret(key)))) }
}

/// Runs `body`, expecting it to throw an `ECGridError`, and returns it.
func expectECGridError(_ body: () async throws -> Void) async -> ECGridError? {
    do {
        try await body()
        return nil
    } catch let error as ECGridError {
        return error
    } catch {
        return nil
    }
}
