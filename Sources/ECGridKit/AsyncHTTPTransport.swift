import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The production transport, on AsyncHTTPClient: TLS verified against the system's trust
/// store, no redirects followed (a redirect could carry the credential to another host),
/// connection reuse, and no silent connection retries (the client's retry policy decides).
public final class AsyncHTTPTransport: HTTPTransport {
    private let client: HTTPClient

    /// - Parameter maxConnectionsPerHost: concurrent connections kept to one host.
    public init(maxConnectionsPerHost: Int = 8) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnectionsPerHost)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(10))
        configuration.httpVersion = .automatic
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
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
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        let timeout = TimeAmount.nanoseconds(Int64(request.timeout.components.seconds) * 1_000_000_000
            + request.timeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await client.execute(outgoing, timeout: timeout)
            if let declared = response.headers.first(name: "content-length").flatMap(Int.init),
                declared > request.maxBodyBytes
            {
                throw ECGridError(.bodyTooLarge, httpStatus: Int(response.status.code),
                    detail: "declared \(declared) bytes, limit \(request.maxBodyBytes)")
            }
            var buffer = try await response.body.collect(upTo: request.maxBodyBytes)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            return TransportResponse(
                status: Int(response.status.code),
                headers: response.headers.map { (name: $0.name, value: $0.value) },
                body: bytes)
        } catch let error as ECGridError {
            throw error
        } catch {
            throw Self.map(error, timeout: request.timeout)
        }
    }

    /// Turns AsyncHTTPClient and SwiftNIO errors into `ECGridError`s.
    static func map(_ error: any Error, timeout: Duration) -> ECGridError {
        if error is CancellationError { return ECGridError(.cancelled, detail: "cancelled") }
        if let httpError = error as? HTTPClientError {
            switch httpError {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout:
                return ECGridError(.timeout, detail: "no answer within \(timeout)")
            case .remoteConnectionClosed, .bodyLengthMismatch, .uncleanShutdown:
                return ECGridError(.connectionDropped, detail: "\(httpError)")
            case .cancelled:
                return ECGridError(.cancelled, detail: "cancelled")
            case .invalidURL, .emptyHost, .emptyScheme:
                return ECGridError(.invalidURL, detail: "\(httpError)")
            default:
                break
            }
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
        if let ioError = error as? IOError {
            switch ioError.errnoCode {
            case ECONNREFUSED: return ECGridError(.connectionRefused, detail: "connection refused")
            case ECONNRESET, EPIPE: return ECGridError(.connectionDropped, detail: "connection reset")
            case ENETUNREACH, EHOSTUNREACH: return ECGridError(.connectionRefused, detail: "network unreachable")
            case ETIMEDOUT: return ECGridError(.timeout, detail: "timed out")
            default: break
            }
        }
        let typeName = String(reflecting: type(of: error))
        let text = String(describing: error)
        if typeName.contains("NIOSSL") || typeName.contains("BoringSSL") || text.contains("handshake") {
            return ECGridError(.tlsFailure, detail: String(text.prefix(200)))
        }
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
