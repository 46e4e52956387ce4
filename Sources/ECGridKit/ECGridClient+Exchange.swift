import Foundation
import Logging

/// One call over the wire: the request, its attempts as the retry policy allows, and the
/// envelope of the answer read into the payload or an `ECGridError`.
extension ECGridClient {
    /// One call whose answer must carry data: `exchange`, then a success without data is
    /// refused as malformed.
    func call<Body: Encodable, Value: Decodable & Sendable>(
        _ method: String, _ path: String, body: Body?, authenticated: Bool = true, stateChanging: Bool = false,
        secretPayload: Bool = false
    ) async throws -> ECGridResponse<Value> {
        let response: ECGridResponse<Value?> = try await exchange(
            method, path, body: body, authenticated: authenticated, stateChanging: stateChanging,
            secretPayload: secretPayload)
        guard let value = response.value else {
            throw ECGridError(
                .malformedBody, httpStatus: response.exchange.httpStatus, detail: "success without data",
                attempts: response.exchange.attempts, latencyMs: response.exchange.latencyMs,
                request: response.exchange.request)
        }
        return ECGridResponse(value: value, exchange: response.exchange)
    }

    /// One call whose answer carries no data worth keeping (`data` is read and dropped).
    func callNullable(_ method: String, _ path: String, stateChanging: Bool) async throws -> ECGridResponse<Empty?> {
        let response: ECGridResponse<IgnoredPayload?> = try await exchange(
            method, path, body: Optional<Empty>.none, authenticated: true, stateChanging: stateChanging,
            secretPayload: false)
        return ECGridResponse(value: nil, exchange: response.exchange)
    }

    /// One request as the exchange sends it, attempt after attempt.
    struct Outgoing {
        var method: String
        var path: String
        var body: [UInt8]?
        var authenticated: Bool
        var stateChanging: Bool
        var secretPayload: Bool
        var label: String { "\(method) \(path)" }
    }

    /// Sends the request (again, as the retry policy allows) and decodes the envelope.
    func exchange<Body: Encodable, Value: Decodable & Sendable>(
        _ method: String, _ path: String, body: Body?, authenticated: Bool, stateChanging: Bool, secretPayload: Bool
    ) async throws -> ECGridResponse<Value?> {
        var outgoing = Outgoing(
            method: method, path: path, body: nil, authenticated: authenticated, stateChanging: stateChanging,
            secretPayload: secretPayload)
        if let body {
            do {
                outgoing.body = Array(try JSONEncoder().encode(body))
            } catch {
                throw ECGridError(.invalidInput, detail: "request body could not be encoded", request: outgoing.label)
            }
        }
        let started = AttemptClock()
        var attempt = 0
        while true {
            attempt += 1
            var failure: ECGridError
            var retryAfter: Duration?
            // Until the transport has the request, nothing can have left this machine.
            var handedToTransport = false
            let attemptStarted = AttemptClock()
            do {
                let request = try await transportRequest(outgoing)
                handedToTransport = true
                let response = try await transport.send(request)
                retryAfter = response.header("Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                    .map { Duration.seconds(max(0, $0)) }
                let decoded: ECGridResponse<Value?> = try answered(
                    response, outgoing, attempt: attempt, latencyMs: started.elapsedMs, attemptMs: attemptStarted.elapsedMs)
                return decoded
            } catch {
                failure = ECGridError.wrapping(error)
            }
            failure.requestSent = failure.requestSent && handedToTransport
            if handedToTransport {
                onAttempt?(AttemptEvent(
                    request: outgoing.label, attempt: attempt, httpStatus: failure.httpStatus, latencyMs: attemptStarted.elapsedMs,
                    failure: failure.httpStatus == nil ? failure.kind.rawValue : failure.errorCode))
            }
            failure.attempts = attempt
            failure.latencyMs = started.elapsedMs
            failure.request = outgoing.label
            failure.stateChanging = stateChanging
            try await waitToRetry(after: failure, outgoing, attempt: attempt, retryAfter: retryAfter)
        }
    }

    /// The request for the transport, with the credential's header when the call needs one.
    private func transportRequest(_ outgoing: Outgoing) async throws -> TransportRequest {
        try Task.checkCancellation()
        var headers: [(name: String, value: String)] = [
            ("Accept", "application/json"), ("User-Agent", "ecgrid-console/\(ECGridKitInfo.version)"),
        ]
        let isPost = outgoing.method == "POST"
        if outgoing.body != nil || isPost { headers.append(("Content-Type", "application/json")) }
        if outgoing.authenticated {
            guard let credentials else { throw ECGridError(.missingCredentials, request: outgoing.label) }
            headers.append(try await credentials.credential(using: self).header)
        }
        return TransportRequest(
            method: outgoing.method, url: baseURL.url(outgoing.path), headers: headers,
            body: outgoing.body ?? (isPost ? [] : nil), timeout: timeout, maxBodyBytes: maxBodyBytes)
    }

    /// A response decoded into the payload and its exchange record (or the error it carries).
    private func answered<Value: Decodable & Sendable>(
        _ response: TransportResponse, _ outgoing: Outgoing, attempt: Int, latencyMs: Int, attemptMs: Int
    ) throws -> ECGridResponse<Value?> {
        let label = outgoing.label
        let (decoded, message): (Value?, String?) = try Self.decode(response, label: label)
        let exchange = ExchangeRecord(
            request: label, httpStatus: response.status, success: true, errorCode: nil,
            message: message, dataSummary: outgoing.secretPayload ? "<redacted>" : Self.summary(of: decoded),
            latencyMs: latencyMs, attempts: attempt)
        onAttempt?(AttemptEvent(request: label, attempt: attempt, httpStatus: response.status, latencyMs: attemptMs))
        logger.debug("\(label) → \(response.status) in \(exchange.latencyMs) ms, \(attempt) attempt(s)")
        return ECGridResponse(value: decoded, exchange: exchange)
    }

    /// Returns after the wait the retry policy asks for; throws the failure when it allows no
    /// other attempt (or the wait was cancelled).
    private func waitToRetry(after failure: ECGridError, _ outgoing: Outgoing, attempt: Int, retryAfter: Duration?) async throws {
        let label = outgoing.label
        if failure.httpStatus == 401, let credentials { await credentials.rejected(failure) }
        let delay = Task.isCancelled ? nil
            : retryPolicy.delay(after: failure, attempt: attempt, stateChanging: outgoing.stateChanging, retryAfter: retryAfter)
        guard let delay else {
            logger.debug("\(label) failed: \(failure.kind.rawValue) \(failure.httpStatus.map(String.init) ?? "") \(failure.detail)")
            throw failure
        }
        let reason = Headline.of(httpStatus: failure.httpStatus, code: failure.errorCode ?? failure.kind.rawValue)
        onRetry?(RetryEvent(request: label, attempt: attempt, reason: reason, delay: delay))
        logger.debug("\(label): retrying after \(reason) in \(delay)")
        do {
            try await sleep(delay)
        } catch {
            var cancelled = failure
            cancelled.kind = .cancelled
            throw cancelled
        }
    }

    // MARK: The answer

    /// Reads the envelope: the payload and the envelope's message on success, an `ECGridError`
    /// for everything else. A good answer is parsed once; only a bad one is looked at again to
    /// say what is wrong with it.
    static func decode<Value: Decodable & Sendable>(_ response: TransportResponse, label: String) throws -> (Value?, String?) {
        let status = response.status
        let ok = (200..<300).contains(status)
        let body = response.body
        if body.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }) {
            throw ok
                ? ECGridError(.emptyBody, httpStatus: status, detail: "empty body")
                : ECGridError(.unexpectedStatus, httpStatus: status, detail: "empty body")
        }
        // Bytes that are not UTF-8 (a name stored in another encoding) become U+FFFD rather
        // than costing the whole page: the record is kept and shown with the damage visible.
        let data = String(validating: body, as: UTF8.self) == nil ? Data(String(decoding: body, as: UTF8.self).utf8) : Data(body)
        if ok, Value.self == [User].self, let page = UserPageParser.parse(Array(data)), let users = page.users as? Value {
            return (users, page.message)
        }
        let decoder = JSONDecoder()
        if ok, let envelope = try? decoder.decode(Envelope<Value>.self, from: data), envelope.success {
            return (envelope.data, envelope.message.flatMap { $0.isEmpty ? nil : $0 })
        }
        guard let bare = try? decoder.decode(BareEnvelope.self, from: data) else {
            let kind: ECGridError.Kind = ok ? .malformedBody : .unexpectedStatus
            let contentType = response.header("Content-Type") ?? "no content type"
            throw ECGridError(kind, httpStatus: status, detail: "body is not an ECGrid envelope (\(contentType), \(body.count) bytes)")
        }
        guard ok, bare.success else {
            throw ECGridError(
                .api, httpStatus: status, errorCode: bare.errorCode.flatMap { $0.isEmpty ? nil : $0 },
                serverMessage: bare.message.flatMap { $0.isEmpty ? nil : $0 },
                detail: ok ? "success false" : "error envelope")
        }
        do {
            let envelope = try decoder.decode(Envelope<Value>.self, from: data)
            return (envelope.data, envelope.message.flatMap { $0.isEmpty ? nil : $0 })
        } catch {
            throw ECGridError(.malformedBody, httpStatus: status, detail: "data is not the expected shape: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "unreadable" }
        switch decodingError {
        case .keyNotFound(let key, let context):
            return "missing \(key.stringValue) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "bad value at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        @unknown default:
            return "unreadable"
        }
    }

    /// A short rendering of a payload for the exchange record.
    static func summary(of value: Any?) -> String? {
        switch value {
        case nil: return "null"
        case let flag as Bool: return String(flag)
        case let text as String: return String(text.prefix(120))
        case let user as User: return "user \(user.userId) (\(user.login))"
        case let users as [User]: return "\(users.count) user record(s)"
        case let session as SessionInfo: return "session of user \(session.userId) (\(session.login))"
        case let keys as [APIKeyRecord]: return "\(keys.count) key record(s)"
        case .some(let other): return String(String(describing: type(of: other)).prefix(60))
        }
    }
}

/// Decodes any JSON value and keeps nothing.
struct IgnoredPayload: Decodable, Sendable {
    init(from decoder: any Decoder) throws {}
}
