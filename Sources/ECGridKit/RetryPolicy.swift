/// How often and how long to wait before sending a request again. Whether a failure may be
/// sent again at all is `ResendRule`'s decision; this policy only counts and times:
///
/// - a rate limit (429): wait what `Retry-After` says (capped at `maxRetryAfter`), up to
///   `maxRateLimitAttempts` sends in all;
/// - everything else the rule allows: exponential backoff, at most `maxAttempts` sends in all.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var maxRateLimitAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var maxRetryAfter: Duration
    /// Spreads concurrent retries apart (a random factor between 0.5 and 1).
    public var jitter: Bool

    public init(
        maxAttempts: Int = 3, maxRateLimitAttempts: Int = 10, baseDelay: Duration = .milliseconds(200),
        maxDelay: Duration = .seconds(5), maxRetryAfter: Duration = .seconds(30), jitter: Bool = true
    ) {
        self.maxAttempts = maxAttempts
        self.maxRateLimitAttempts = maxRateLimitAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    /// The default policy.
    public static let standard = RetryPolicy()
    /// Never retry.
    public static let none = RetryPolicy(maxAttempts: 1, maxRateLimitAttempts: 1)

    /// The decision after a failed attempt: the delay before the next one, or nil to give up.
    /// `attempt` counts sends so far (1 after the first).
    public func delay(after error: ECGridError, attempt: Int, stateChanging: Bool, retryAfter: Duration?) -> Duration? {
        switch ResendRule.decision(after: error, stateChanging: stateChanging) {
        case .never:
            return nil
        case .afterRateLimit:
            guard attempt < maxRateLimitAttempts else { return nil }
            if let retryAfter { return min(max(retryAfter, .milliseconds(1)), maxRetryAfter) }
            return backoff(attempt)
        case .afterBackoff:
            guard attempt < maxAttempts else { return nil }
            return backoff(attempt)
        }
    }

    func backoff(_ attempt: Int) -> Duration {
        var delay = baseDelay
        for _ in 1..<max(1, attempt) { delay = min(delay * 2, maxDelay) }
        if jitter { delay = delay * Double.random(in: 0.5...1.0) }
        return min(delay, maxDelay)
    }
}

/// Told each time a request is about to be sent again.
public struct RetryEvent: Sendable, Equatable {
    /// The request, for example `POST /v2/users/reset/42`.
    public var request: String
    /// The attempt that failed (1 for the first).
    public var attempt: Int
    /// Why it failed, for example `HTTP 429 RateLimitExceeded`.
    public var reason: String
    /// How long the client waits before the next attempt.
    public var delay: Duration

    public init(request: String, attempt: Int, reason: String, delay: Duration) {
        self.request = request
        self.attempt = attempt
        self.reason = reason
        self.delay = delay
    }
}

/// Told after each attempt of a request, answered or not: what `--verbose` prints. It holds no
/// header, body or credential, only what identifies the request and how it went.
public struct AttemptEvent: Sendable, Equatable {
    /// Method and path, for example `POST /v2/users/reset/42`.
    public var request: String
    /// 1 for the first send.
    public var attempt: Int
    /// The HTTP status, when an answer came.
    public var httpStatus: Int?
    /// Time from this attempt's start to its end.
    public var latencyMs: Int
    /// For a failed attempt: the server's errorCode, or the kind of failure when no answer came.
    public var failure: String?

    public init(request: String, attempt: Int, httpStatus: Int?, latencyMs: Int, failure: String? = nil) {
        self.request = request
        self.attempt = attempt
        self.httpStatus = httpStatus
        self.latencyMs = latencyMs
        self.failure = failure
    }
}

/// Measures one attempt.
struct AttemptClock {
    let started = ContinuousClock.now

    var elapsedMs: Int {
        let duration = ContinuousClock.now - started
        return Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
