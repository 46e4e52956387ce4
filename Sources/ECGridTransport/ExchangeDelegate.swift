import ECGridKit
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// Collects one answer for `AsyncHTTPTransport` and remembers whether the request head was
/// written: the fact that decides between "not sent" and "outcome unknown".
final class ExchangeDelegate: HTTPClientResponseDelegate {
    typealias Response = TransportResponse

    private struct State {
        var headSent = false
        var status = 0
        var headers: [(name: String, value: String)] = []
        var body: [UInt8] = []
    }

    private let state = Mutex(State())
    private let maxBodyBytes: Int

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// True once the request head was handed to the connection: from then on its bytes may
    /// have reached the server.
    var headSent: Bool { state.withLock { $0.headSent } }

    func didSendRequestHead(task: HTTPClient.Task<Response>, _ head: HTTPRequestHead) {
        state.withLock { $0.headSent = true }
    }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let status = Int(head.status.code)
        if let declared = head.headers.first(name: "content-length").flatMap(Int.init), declared > maxBodyBytes {
            return task.eventLoop.makeFailedFuture(ECGridError(
                .bodyTooLarge, httpStatus: status, detail: "declared \(declared) bytes, limit \(maxBodyBytes)"))
        }
        state.withLock { state in
            state.status = status
            state.headers = head.headers.map { (name: $0.name, value: $0.value) }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let limit = maxBodyBytes
        let status: Int? = state.withLock { state in
            guard state.body.count + buffer.readableBytes <= limit else { return state.status }
            state.body.append(contentsOf: buffer.readableBytesView)
            return nil
        }
        if let status {
            return task.eventLoop.makeFailedFuture(ECGridError(.bodyTooLarge, httpStatus: status, detail: "body over \(limit) bytes"))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> TransportResponse {
        state.withLock { TransportResponse(status: $0.status, headers: $0.headers, body: $0.body) }
    }
}
