import ECGridKit
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The production transport, on AsyncHTTPClient: TLS 1.2 or later, certificate and host name
/// always verified against the system's trust store (plus one CA the operator names, never
/// fewer checks), no redirects followed (a redirect could carry the credential to another host),
/// connection reuse, and no silent connection retries (the client's retry policy decides).
///
/// Whether a failed request was sent is decided from what the transport did, not from the
/// error's name: AsyncHTTPClient tells the delegate when the request head was written to the
/// connection. Every failure before that is "not sent"; every failure after it, whatever its
/// type (a TLS record that fails to decrypt, a close without close_notify, a reset, a time-out),
/// leaves the request sent and its outcome to be checked.
public final class AsyncHTTPTransport: HTTPTransport {
    private let client: HTTPClient
    /// The one event loop that runs both the connection and the delegate, so the delegate
    /// learns that the head was written in the same tick that wrote it: no failure can be
    /// reported in between. Every request names it as the delegate's loop, and the pool opens
    /// every connection on a request's loop, so every connection runs on it too.
    ///
    /// It is named as the delegate's loop (`.delegate(on:)`), not required of the channel
    /// (`.delegateAndChannel(on:)`): a request that requires a loop gets an "overflow"
    /// connection of its own whenever none is idle there, closed as soon as it is idle. With
    /// `.delegateAndChannel` one reset's four sequential requests opened two connections (the
    /// pool, started for HTTP/2, opened a second one for the waiting request when the first
    /// settled on HTTP/1.1: a TLS handshake for nothing) and with HTTP/1.1 only, four.
    private let eventLoop: any EventLoop

    /// - Parameters:
    ///   - maxConnectionsPerHost: concurrent connections kept to one host.
    ///   - trust: an extra CA to trust besides the system's (the sandbox's, a company CA).
    public convenience init(maxConnectionsPerHost: Int = 8, trust: TrustedCA? = nil) {
        self.init(maxConnectionsPerHost: maxConnectionsPerHost, trust: trust, systemRoots: SystemTrust.roots)
    }

    /// As above, with the system's roots read from `systemRoots` (tests hand it a directory of
    /// their own).
    init(maxConnectionsPerHost: Int, trust: TrustedCA?, systemRoots: NIOSSLTrustRoots) {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = Self.tlsConfiguration(trust: trust, systemRoots: systemRoots)
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnectionsPerHost)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(10))
        configuration.httpVersion = .automatic
        let group = MultiThreadedEventLoopGroup.singleton
        eventLoop = group.next()
        client = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: configuration)
    }

    /// The TLS policy: TLS 1.2 at least, full certificate and host name verification, the
    /// system's roots plus `trust`. Nothing in the environment can weaken it.
    static func tlsConfiguration(trust: TrustedCA?, systemRoots: NIOSSLTrustRoots = SystemTrust.roots) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .fullVerification
        // Closing a connection sends close_notify; waiting 5 s (the default) for the server's
        // reply, when a stalled server has none, would keep a signalled process alive. Every
        // answer is framed before it is used, so nothing depends on the reply.
        tls.shutdownTimeout = .milliseconds(200)
        tls.trustRoots = systemRoots
        if let trust { tls.additionalTrustRoots = [.certificates(trust.certificates)] }
        return tls
    }

    /// Closes every connection. Call once, when no request is in flight.
    public func shutdown() async {
        try? await client.shutdown()
    }

    deinit {
        // A client must be shut down before it is released; do it in the background if the
        // owner forgot, rather than trap.
        let client = self.client
        Task { try? await client.shutdown() }
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let outgoing: HTTPClient.Request
        do {
            var headers = HTTPHeaders()
            for header in request.headers { headers.add(name: header.name, value: header.value) }
            outgoing = try HTTPClient.Request(
                url: request.url, method: HTTPMethod(rawValue: request.method), headers: headers,
                body: request.body.map { .bytes($0) })
        } catch {
            throw ECGridError(.invalidURL, detail: "the transport cannot use this URL")
        }
        let delegate = ExchangeDelegate(maxBodyBytes: request.maxBodyBytes)
        let nanoseconds = Int64(request.timeout.components.seconds) * 1_000_000_000
            + request.timeout.components.attoseconds / 1_000_000_000
        let task = client.execute(
            request: outgoing, delegate: delegate, eventLoop: .delegate(on: eventLoop),
            deadline: .now() + .nanoseconds(nanoseconds))
        do {
            return try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch {
            var failure = (error as? ECGridError) ?? Self.map(error, timeout: request.timeout)
            failure.requestSent = delegate.headSent
            throw failure
        }
    }

    /// Turns AsyncHTTPClient, SwiftNIO and TLS errors into `ECGridError` kinds. Whether the
    /// request was sent is not decided here: the caller sets it from the delegate.
    static func map(_ error: any Error, timeout: Duration) -> ECGridError {
        if error is CancellationError { return ECGridError(.cancelled, detail: "cancelled") }
        if let httpError = error as? HTTPClientError {
            switch httpError {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout:
                return ECGridError(.timeout, detail: "no answer within \(timeout)")
            case .remoteConnectionClosed, .bodyLengthMismatch:
                return ECGridError(.connectionDropped, detail: "the connection closed mid-answer")
            case .uncleanShutdown:
                return ECGridError(.tlsFailure, detail: "the server closed the connection without TLS close_notify")
            case .cancelled:
                return ECGridError(.cancelled, detail: "cancelled")
            case .invalidURL, .emptyHost, .emptyScheme:
                return ECGridError(.invalidURL, detail: "the transport cannot use this URL")
            default:
                break
            }
        }
        if let known = mapTyped(error) { return known }
        return mapByText(error)
    }

    /// The errors told apart by their type: TLS, HTTP parsing, size, connection, system calls.
    private static func mapTyped(_ error: any Error) -> ECGridError? {
        if let tlsError = error as? NIOSSLError {
            return ECGridError(.tlsFailure, detail: TLSFailureReason.words(for: tlsError))
        }
        if let boringError = error as? BoringSSLError {
            return ECGridError(.tlsFailure, detail: TLSFailureReason.words(forLibraryText: String(describing: boringError)))
        }
        if let extra = error as? NIOSSLExtraError {
            return ECGridError(.tlsFailure, detail: TLSFailureReason.words(for: extra))
        }
        if let parserError = error as? HTTPParserError {
            // The stream ended mid-message: the peer closed the connection.
            if parserError == .invalidEOFState {
                return ECGridError(.connectionDropped, detail: "connection closed mid-answer")
            }
            return ECGridError(.malformedBody, detail: "not valid HTTP: \(parserError)")
        }
        if error is NIOTooManyBytesError {
            return ECGridError(.bodyTooLarge, detail: "body over the size limit")
        }
        if let connectError = error as? NIOConnectionError {
            if connectError.connectionErrors.isEmpty, connectError.dnsAError != nil || connectError.dnsAAAAError != nil {
                return ECGridError(.hostNotFound, detail: "name did not resolve")
            }
            return ECGridError(.connectionRefused, detail: "connection refused")
        }
        if let ioError = error as? IOError {
            switch ioError.errnoCode {
            case ECONNREFUSED: return ECGridError(.connectionRefused, detail: "connection refused")
            case ECONNRESET, EPIPE: return ECGridError(.connectionDropped, detail: "connection reset")
            case ENETUNREACH, EHOSTUNREACH: return ECGridError(.connectionRefused, detail: "network unreachable")
            case ETIMEDOUT: return ECGridError(.timeout, detail: "timed out")
            default: break
            }
        }
        return nil
    }

    /// The rest, told apart by their words (errors NIO wraps in types this code cannot name).
    private static func mapByText(_ error: any Error) -> ECGridError {
        let typeName = String(reflecting: type(of: error))
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("ECONNREFUSED") || text.contains("Connection refused")
            || text.contains("errno: 111")
        {
            return ECGridError(.connectionRefused, detail: "connection refused")
        }
        if typeName.contains("SocketAddressError") || text.contains("getaddrinfo") || text.contains("dnsA")
            || text.contains("unknown(host") || text.contains("DNS error") || text.contains("UnknownHost")
        {
            return ECGridError(.hostNotFound, detail: "name did not resolve")
        }
        if text.contains("ECONNRESET") || text.contains("Connection reset") || text.contains("errno: 104") {
            return ECGridError(.connectionDropped, detail: "connection reset")
        }
        return ECGridError(.transport, detail: String("\(typeName): \(text)".prefix(300)))
    }
}
