import ECGridKit
import Testing

/// The resend rule as a table: every HTTP status × errorCode × error kind × whether the
/// request left, for reads and for each state-changing action. A state change may be sent
/// again only after a real 429 or a failure proven to come before the request left.
@Suite("Resend rule: no action is ever sent twice")
struct ResendRuleTests {
    static let statuses: [Int?] = [nil, 200, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504]
    static let codes: [String?] = [nil, "RateLimitExceeded", "InternalError", "InvalidParameter", "AccessDenied"]
    static let kinds: [ECGridError.Kind] = [
        .api, .unexpectedStatus, .malformedBody, .emptyBody, .bodyTooLarge, .timeout, .connectionRefused,
        .connectionDropped, .hostNotFound, .tlsFailure, .cancelled, .transport,
    ]

    /// The rule, written out independently of the code: what each combination must give.
    static func expected(_ error: ECGridError, action: UserAction?) -> ResendRule.Decision {
        if error.kind == .cancelled { return .never }
        let realRateLimit = error.httpStatus == 429 && (error.kind == .api || error.kind == .unexpectedStatus)
        if realRateLimit { return .afterRateLimit }
        if action != nil {
            let provenNotSent = !error.requestSent
                && [.connectionRefused, .timeout, .connectionDropped].contains(error.kind)
            return provenNotSent ? .afterBackoff : .never
        }
        if error.kind == .api, error.errorCode == "RateLimitExceeded", (200..<300).contains(error.httpStatus ?? 0) {
            return .afterRateLimit
        }
        switch error.kind {
        case .connectionRefused, .timeout, .connectionDropped: return .afterBackoff
        case .tlsFailure: return error.requestSent ? .afterBackoff : .never
        case .api, .unexpectedStatus, .malformedBody, .emptyBody:
            return error.httpStatus == 500 || error.httpStatus == 503 ? .afterBackoff : .never
        default: return .never
        }
    }

    @Test("every status × errorCode × kind × sent, for reads and for every action (the containment steps too)")
    func table() {
        var cases = 0
        var stateChangeResends = 0
        for action in [nil] + UserAction.allCases.map(Optional.some) {
            for status in Self.statuses {
                for code in Self.codes {
                    for kind in Self.kinds {
                        for sent in [true, false] {
                            var error = ECGridError(kind, httpStatus: status, errorCode: code)
                            error.requestSent = sent
                            let decision = action.map { $0.resendDecision(after: error) }
                                ?? ResendRule.decision(after: error, stateChanging: false)
                            let wanted = Self.expected(error, action: action)
                            #expect(decision == wanted, "\(action?.verb ?? "read") \(kind) \(status.map(String.init) ?? "-") \(code ?? "-") sent=\(sent)")
                            if action != nil, decision != .never { stateChangeResends += 1 }
                            cases += 1
                        }
                    }
                }
            }
        }
        #expect(cases == (1 + UserAction.allCases.count) * Self.statuses.count * Self.codes.count * Self.kinds.count * 2)
        #expect(stateChangeResends > 0)
    }

    @Test("a 500 that says RateLimitExceeded is a 500: key-generate is never sent again")
    func serverErrorWithRateLimitCode() {
        let policy = RetryPolicy.standard
        var error = ECGridError(.api, httpStatus: 500, errorCode: "RateLimitExceeded")
        error.requestSent = true
        for action in UserAction.allCases {
            #expect(action.resendDecision(after: error) == .never)
        }
        #expect(policy.delay(after: error, attempt: 1, stateChanging: true, retryAfter: .seconds(1)) == nil)
        // A real 429 is waited out, with or without an envelope.
        #expect(policy.delay(after: ECGridError(.api, httpStatus: 429), attempt: 1, stateChanging: true, retryAfter: .seconds(2)) == .seconds(2))
        #expect(policy.delay(after: ECGridError(.unexpectedStatus, httpStatus: 429), attempt: 1, stateChanging: true, retryAfter: nil) != nil)
    }

    @Test("after the request left, no transport failure re-sends a change; before it, a refused connection may")
    func sentOrNot() {
        for kind in [ECGridError.Kind.timeout, .connectionDropped, .tlsFailure, .transport, .cancelled] {
            var error = ECGridError(kind)
            error.requestSent = true
            #expect(UserAction.rotateKey.resendDecision(after: error) == .never, "\(kind)")
        }
        #expect(UserAction.resetSessions.resendDecision(after: ECGridError(.connectionRefused)) == .afterBackoff)
        #expect(UserAction.terminate.resendDecision(after: ECGridError(.tlsFailure)) == .never)
    }

    @Test("not sent, unknown or failed: sent only as the transport says, and unknown only when sent")
    func outcomeWords() {
        var lost = ECGridError(.tlsFailure, detail: "a TLS record from the server could not be decrypted")
        lost.requestSent = true
        lost.stateChanging = true
        #expect(lost.mayHaveActed && !lost.definitelyNotSent)
        #expect(lost.explanation.contains("broke after the request was sent"))
        #expect(lost.explanation.contains("may or may not have happened"))
        let handshake = ECGridError(.tlsFailure, detail: "the server's certificate is not trusted")
        #expect(handshake.definitelyNotSent && !handshake.mayHaveActed)
        #expect(handshake.explanation.hasPrefix("The TLS handshake failed"))
        var early = ECGridError(.timeout)
        early.requestSent = false
        #expect(!early.mayHaveActed)
        #expect(early.explanation.contains("not sent"))
    }
}
