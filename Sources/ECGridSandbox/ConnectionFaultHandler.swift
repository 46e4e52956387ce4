import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOSSL
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// How many connections a sandbox has accepted: what tests of connection reuse count.
public final class ConnectionCount: Sendable {
    private let count = Atomic<Int>(0)

    init() {}

    func add() { count.add(1, ordering: .relaxed) }

    /// The connections accepted so far.
    public var value: Int { count.load(ordering: .relaxed) }
}

/// Carries out the faults that live below HTTP: a close without TLS close_notify after an
/// answer framed by the close, a broken TLS record in the middle of the body, a TCP reset
/// once the request is read. The fault middleware marks the answer with `FaultMiddleware.marker`;
/// this handler, which sits just above the HTTP encoder, sees the mark, swallows the answer and
/// writes what the fault asks for straight into the TLS layer (encrypted) or under it (raw).
final class ConnectionFaultHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var fault: FaultKind?
    private var head: HTTPResponse?
    private var body = ByteBuffer()
    /// Counts this connection once it is set up (one handler a connection).
    private let connections: ConnectionCount?

    init(counting connections: ConnectionCount? = nil) {
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        connections?.add()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response):
            guard let marker = FaultMiddleware.marker, let value = response.headerFields[marker],
                let kind = FaultKind(rawValue: value)
            else {
                context.write(data, promise: promise)
                return
            }
            response.headerFields[marker] = nil
            fault = kind
            head = response
            promise?.succeed()
            if kind == .resetAfterRequest { reset(context) }
        case .body(var buffer):
            guard fault != nil else {
                context.write(data, promise: promise)
                return
            }
            body.writeBuffer(&buffer)
            promise?.succeed()
        case .end:
            guard let fault, let head else {
                context.write(data, promise: promise)
                return
            }
            promise?.succeed()
            finish(fault, head, context: context)
        }
    }

    private func finish(_ fault: FaultKind, _ head: HTTPResponse, context: ChannelHandlerContext) {
        var text = "HTTP/1.1 \(head.status.code) \(head.status.reasonPhrase)\r\n"
        for field in head.headerFields where field.name != .contentLength && field.name != .transferEncoding
            && field.name != .connection
        {
            text += "\(field.name): \(field.value)\r\n"
        }
        let bytes = Array(body.readableBytesView)
        switch fault {
        case .closeNoNotify:
            // Framed by the close: only close_notify could tell the client that it saw it all.
            text += "connection: close\r\n\r\n"
            writeEncrypted(Array(text.utf8) + bytes, context: context).assumeIsolated().whenComplete { _ in self.closeRaw(context) }
        case .brokenRecord:
            text += "content-length: \(bytes.count)\r\n\r\n"
            writeEncrypted(Array(text.utf8) + bytes.prefix(bytes.count / 2), context: context).assumeIsolated().whenComplete { _ in
                // A TLS application-data record whose contents were never encrypted: it cannot
                // decrypt (in plain HTTP it is garbage in the body).
                var garbage: [UInt8] = [0x17, 0x03, 0x03, 0x00, 0x30]
                garbage += (0..<48).map { _ in UInt8.random(in: 0...255) }
                self.writeRaw(garbage, context: context).assumeIsolated().whenComplete { _ in self.closeRaw(context) }
            }
        default:
            closeRaw(context)
        }
    }

    /// Writes through the TLS layer (or straight out on plain HTTP), below the HTTP encoder.
    private func writeEncrypted(_ bytes: [UInt8], context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        guard let encoder = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self) else {
            return context.eventLoop.makeSucceededVoidFuture()
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        encoder.writeAndFlush(NIOAny(ByteBuffer(bytes: bytes)), promise: promise)
        return promise.futureResult
    }

    /// Writes under the TLS layer, unencrypted.
    private func writeRaw(_ bytes: [UInt8], context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        guard let tls = try? context.pipeline.syncOperations.context(handlerType: NIOSSLServerHandler.self) else {
            return writeEncrypted(bytes, context: context)
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        tls.writeAndFlush(NIOAny(ByteBuffer(bytes: bytes)), promise: promise)
        return promise.futureResult
    }

    /// Closes the socket under the TLS layer: no close_notify is sent.
    private func closeRaw(_ context: ChannelHandlerContext) {
        if let tls = try? context.pipeline.syncOperations.context(handlerType: NIOSSLServerHandler.self) {
            tls.close(promise: nil)
        } else {
            context.channel.close(promise: nil)
        }
    }

    /// Closes with SO_LINGER 0: the client gets a TCP reset, not an orderly close.
    private func reset(_ context: ChannelHandlerContext) {
        guard let provider = context.channel as? any SocketOptionProvider else {
            closeRaw(context)
            return
        }
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).assumeIsolated().whenComplete { _ in self.closeRaw(context) }
    }
}
