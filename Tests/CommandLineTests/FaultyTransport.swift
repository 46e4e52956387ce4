import ECGridKit
import Foundation
import Synchronization

/// A transport seam for what a sandbox cannot do over loopback: requests that match fail with
/// a connection fault before anything is sent (refused, a name that does not resolve); all
/// others go to the real transport.
struct FaultyTransport: HTTPTransport {
    let real: any HTTPTransport
    let method: String
    let pathPrefix: String
    let failure: ECGridError.Kind
    let attempts = AttemptCounter()

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        if request.method == method, let path = URL(string: request.url)?.path, path.hasPrefix(pathPrefix) {
            attempts.increment()
            throw ECGridError(failure, detail: failure == .hostNotFound ? "name did not resolve" : "connection refused")
        }
        return try await real.send(request)
    }
}

/// Counts attempts across tasks.
final class AttemptCounter: Sendable {
    private let value = Mutex(0)
    func increment() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
