/// The one rule for sending a failed request again, written next to the action kinds it
/// protects. A request that can change state (a session reset, a new API key, a termination,
/// and the session calls: login, refresh, logout) is sent again only when the server said it
/// did nothing, or when nothing left this machine:
///
/// - a real HTTP 429 (with or without `Retry-After`, with or without an envelope);
/// - a transport failure proven to come before the request head was written (a refused
///   connection, a connection that could not be made in time).
///
/// Never on a 5xx, never on an `errorCode` alone (a 500 that says `RateLimitExceeded` is still
/// a 500), never after the request may have been read. A read, which changes nothing, is also
/// sent again after server failures, time-outs and dropped connections.
public enum ResendRule {
    /// What to do after a failed attempt.
    public enum Decision: Sendable, Equatable {
        /// Give up: the failure stands.
        case never
        /// The server refused for rate: wait what `Retry-After` says (or back off), then send again.
        case afterRateLimit
        /// Wait an exponential backoff, then send again.
        case afterBackoff
    }

    /// The decision for a failure; `stateChanging` says whether the request could act.
    public static func decision(after error: ECGridError, stateChanging: Bool) -> Decision {
        if error.kind == .cancelled { return .never }
        if error.httpStatus == 429, error.kind == .api || error.kind == .unexpectedStatus { return .afterRateLimit }
        if stateChanging {
            guard !error.requestSent else { return .never }
            switch error.kind {
            case .connectionRefused, .timeout, .connectionDropped: return .afterBackoff
            default: return .never
            }
        }
        if error.kind == .api, error.errorCode == "RateLimitExceeded", (200..<300).contains(error.httpStatus ?? 0) {
            return .afterRateLimit
        }
        switch error.kind {
        case .connectionRefused, .timeout, .connectionDropped:
            return .afterBackoff
        case .tlsFailure:
            // A refused handshake does not heal by itself; a stream broken mid-answer may.
            return error.requestSent ? .afterBackoff : .never
        case .api, .unexpectedStatus, .malformedBody, .emptyBody:
            guard let status = error.httpStatus, status == 500 || status == 503 else { return .never }
            return .afterBackoff
        default:
            return .never
        }
    }
}

extension UserAction {
    /// The resend decision for this action after `error` (see `ResendRule`).
    public func resendDecision(after error: ECGridError) -> ResendRule.Decision {
        ResendRule.decision(after: error, stateChanging: true)
    }
}
