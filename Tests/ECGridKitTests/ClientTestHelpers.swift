import ECGridKit
import Foundation

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
