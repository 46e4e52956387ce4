import Foundation

extension ECGridClient {
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
                failure = Self.normalised(error)
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

    /// Any failure of an attempt as an `ECGridError`.
    private static func normalised(_ error: any Error) -> ECGridError {
        switch error {
        case let error as ECGridError: error
        case is CancellationError: ECGridError(.cancelled, detail: "cancelled")
        default: ECGridError(.transport, detail: String(describing: type(of: error)))
        }
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
}
