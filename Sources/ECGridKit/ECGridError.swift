/// Every way a call to ECGrid can fail, with what the operator should do about it.
///
/// The description never contains a credential: request headers are not kept, and texts from
/// the server are quoted, not interpreted.
public struct ECGridError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Codable, Equatable {
        /// The server answered with an error envelope (`success: false`).
        case api
        /// The server answered a status that is not 2xx with a body that is no envelope.
        case unexpectedStatus
        /// The body is not the JSON the call expects (an HTML page from a proxy, say).
        case malformedBody
        /// The body is empty where JSON was expected.
        case emptyBody
        /// The body is larger than the client accepts.
        case bodyTooLarge
        /// No answer within the time-out.
        case timeout
        /// Nothing listens at the address.
        case connectionRefused
        /// The connection closed before the whole answer arrived.
        case connectionDropped
        /// The host name does not resolve.
        case hostNotFound
        /// The TLS handshake failed (untrusted or invalid certificate, …).
        case tlsFailure
        /// The base URL is plain `http://` to a host that is not loopback.
        case insecureURL
        /// The base URL cannot be used.
        case invalidURL
        /// No credential is configured.
        case missingCredentials
        /// An argument was refused before anything was sent.
        case invalidInput
        /// The caller cancelled the request.
        case cancelled
        /// Any other transport failure.
        case transport
    }

    public var kind: Kind
    /// The HTTP status, when an answer arrived.
    public var httpStatus: Int?
    /// The envelope's `errorCode`, when there was one.
    public var errorCode: String?
    /// The envelope's `message`, when there was one.
    public var serverMessage: String?
    /// A technical detail for logs and `--json` (never a credential).
    public var detail: String
    /// How many times the request was sent.
    public var attempts: Int
    /// Wall time spent, in milliseconds.
    public var latencyMs: Int?
    /// The request this error belongs to, for example `GET /v2/users/42`.
    public var request: String?
    /// True when the request could change something (a reset, a new key, a termination): then
    /// a lost answer leaves the outcome unknown, and the explanation says to check.
    public var stateChanging = false
    /// False only when it is proven that no byte of the request reached the network: the
    /// transport failed before it wrote the request head (refused connection, a name that does
    /// not resolve, a TLS handshake that failed), or a local check refused it. Anything else,
    /// including every failure after the head was handed to the socket, leaves it true.
    public var requestSent: Bool

    public init(
        _ kind: Kind, httpStatus: Int? = nil, errorCode: String? = nil, serverMessage: String? = nil,
        detail: String = "", attempts: Int = 0, latencyMs: Int? = nil, request: String? = nil
    ) {
        self.kind = kind
        self.httpStatus = httpStatus
        self.errorCode = errorCode
        self.serverMessage = serverMessage
        self.detail = detail
        self.attempts = attempts
        self.latencyMs = latencyMs
        self.request = request
        self.requestSent = kind.sentUnlessProvenOtherwise
    }

    /// True when nothing reached the server, so even a state-changing request may be sent again.
    public var definitelyNotSent: Bool { !requestSent }

    /// True when a request that went out may still have been acted on: no usable answer came
    /// back (time-out, dropped connection, a broken TLS stream, an unreadable or foreign body),
    /// or the server failed (5xx). For a state-changing request the outcome is then unknown,
    /// and the operator must check before repeating it.
    public var mayHaveActed: Bool {
        guard requestSent else { return false }
        switch kind {
        case .timeout, .connectionDropped, .cancelled, .transport, .malformedBody, .emptyBody, .bodyTooLarge,
            .unexpectedStatus, .tlsFailure:
            return true
        case .api:
            return (httpStatus ?? 0) >= 500
        default:
            return false
        }
    }

    /// The envelope as the server sent it, for the record of the exchange.
    public var exchange: ExchangeRecord {
        ExchangeRecord(
            request: request ?? "", httpStatus: httpStatus, success: kind == .api ? false : nil, errorCode: errorCode,
            message: serverMessage, dataSummary: nil, latencyMs: latencyMs ?? 0, attempts: attempts)
    }

    /// One line for a person: what happened and what to do. After a state-changing request
    /// whose answer was lost, it says that the action may have happened.
    public var explanation: String {
        guard stateChanging, mayHaveActed else { return situation }
        return situation + " The action may or may not have happened; check before repeating it."
    }

    /// What happened, whatever the request was.
    private var situation: String {
        switch kind {
        case .api:
            return apiSituation
        case .unexpectedStatus:
            return "The server answered HTTP \(httpStatus.map(String.init) ?? "?") without an ECGrid envelope: "
                + "is the base URL right, or is a proxy in the way?"
        case .malformedBody:
            return "The server's answer is not the JSON ECGrid sends (a proxy or error page?); nothing was read from it."
        case .emptyBody:
            return "The server answered with an empty body where JSON was expected."
        case .bodyTooLarge:
            return "The server's answer is larger than the client accepts; it was not read."
        case .timeout:
            return requestSent ? "No answer in time: the server or the network is slow."
                : "No connection in time: the request was not sent. The server or the network is slow."
        case .connectionRefused:
            return "Connection refused: nothing listens at the base URL. Check it, and your VPN or tunnel."
        case .connectionDropped:
            return requestSent ? "The connection dropped before the answer was complete."
                : "The connection dropped before the request was sent."
        case .hostNotFound:
            return "The host name does not resolve: check the base URL and DNS."
        case .tlsFailure:
            if requestSent {
                return "The TLS connection broke after the request was sent (\(detail)); the answer is incomplete."
            }
            return "The TLS handshake failed: " + (detail.isEmpty
                ? "the server's certificate is not trusted or not valid for this host." : detail)
        case .insecureURL:
            return "Plain http:// is allowed only to loopback; use https:// for any other host."
        case .invalidURL:
            return "The base URL cannot be used" + (detail.isEmpty ? "" : " (\(detail))")
                + ": give a full URL such as https://rest.ecgrid.io."
        case .missingCredentials:
            return detail.isEmpty
                ? "No credential: set ECGRID_API_KEY (never pass a key on the command line)."
                : "No credential: \(detail) (never pass a key on the command line)."
        case .invalidInput:
            return detail.isEmpty ? "The input was refused." : detail
        case .cancelled:
            return requestSent ? "Cancelled before an answer arrived." : "Cancelled before the request was sent."
        case .transport:
            return "The request failed in transport."
        }
    }

    /// What an error envelope means, by its code (or the status when the code says nothing).
    private var apiSituation: String {
        switch (httpStatus, errorCode) {
        case (_, "InvalidAPIKey"?):
            return "The API key is wrong or revoked: check ECGRID_API_KEY (or the profile's key file)."
        case (_, "InvalidSession"?):
            return "The bearer session expired or was revoked: log in again."
        case (_, "InvalidCredentials"?):
            return "Login failed: the login or password is wrong."
        case (_, "AccessDenied"?):
            return "Access denied: your AuthLevel is too low for this user or network."
        case (_, "ObjectNotFound"?):
            return "Not found: no such object, or it is not visible to your credential."
        case (_, "InvalidParameter"?):
            return "The server refused a parameter" + (serverMessage.map { ": \($0)" } ?? ".")
        case (_, "DuplicateObject"?):
            return "The object already exists."
        case (_, "RateLimitExceeded"?), (429?, _):
            return "Rate limit exceeded and retries ran out: wait a minute and try again."
        case (500?, _), (503?, _), (_, "InternalError"?):
            return "The ECGrid server failed (\(httpStatus.map(String.init) ?? "error")) after \(attempts) attempt(s)."
                + (stateChanging ? "" : " Try again in a moment.")
        case (401?, _):
            return "Not authenticated: check the credential."
        default:
            return "The server refused the request" + (serverMessage.map { ": \($0)" } ?? ".")
        }
    }

    public var description: String {
        var parts: [String] = []
        if let request { parts.append(request) }
        if let httpStatus { parts.append("HTTP \(httpStatus)") }
        if let errorCode, !errorCode.isEmpty { parts.append(errorCode) }
        // No request, status or code: the explanation alone (never an internal name like `invalidURL`).
        var text = parts.isEmpty ? explanation : parts.joined(separator: " · ") + ": " + explanation
        if let serverMessage, !serverMessage.isEmpty, kind == .api, !explanation.contains(serverMessage) {
            text += " Server said: \"\(serverMessage)\""
        }
        return text
    }
}

extension ECGridError.Kind {
    /// Whether an error of this kind leaves the request sent when the transport says nothing
    /// more: kinds raised before a connection exists (or by a local check) are not-sent, every
    /// kind that needs an answer or a connection in use is sent.
    public var sentUnlessProvenOtherwise: Bool {
        switch self {
        case .connectionRefused, .hostNotFound, .tlsFailure, .insecureURL, .invalidURL, .missingCredentials, .invalidInput:
            return false
        case .api, .unexpectedStatus, .malformedBody, .emptyBody, .bodyTooLarge, .timeout, .connectionDropped, .cancelled,
            .transport:
            return true
        }
    }

    /// A few words for a person, where a code would go when the server sent none
    /// (`no answer in time`, never the internal name `timeout`).
    public var words: String {
        switch self {
        case .api: "refused by the server"
        case .unexpectedStatus: "unexpected HTTP status"
        case .malformedBody: "unreadable answer"
        case .emptyBody: "empty answer"
        case .bodyTooLarge: "answer too large"
        case .timeout: "no answer in time"
        case .connectionRefused: "connection refused"
        case .connectionDropped: "connection dropped"
        case .hostNotFound: "host not found"
        case .tlsFailure: "TLS handshake failed"
        case .insecureURL: "plain http to a remote host"
        case .invalidURL: "unusable base URL"
        case .missingCredentials: "no credential"
        case .invalidInput: "refused before sending"
        case .cancelled: "cancelled"
        case .transport: "transport failure"
        }
    }
}

extension ECGridError {
    /// The kind in words, told apart by whether the request left: a TLS stream broken after
    /// sending is no handshake failure, a time-out before sending no lost answer.
    public var words: String {
        switch kind {
        case .tlsFailure where requestSent: "TLS connection broke after sending"
        case .timeout where !requestSent: "no connection in time"
        case .connectionDropped where !requestSent: "connection dropped before sending"
        default: kind.words
        }
    }

    /// The server's error code, else the error in words: what a table cell or a summary shows.
    public var codeOrWords: String { errorCode.flatMap { $0.isEmpty ? nil : $0 } ?? words }
}

extension ECGridError {
    /// Any error as an `ECGridError`, the one rule for it: itself when it is one, `.cancelled`
    /// for a `CancellationError`, else a transport failure naming the error's type (never its
    /// text, which could hold anything).
    public static func wrapping(_ error: any Error) -> ECGridError {
        switch error {
        case let error as ECGridError: error
        case is CancellationError: ECGridError(.cancelled, detail: "cancelled")
        default: ECGridError(.transport, detail: String(describing: type(of: error)))
        }
    }
}
