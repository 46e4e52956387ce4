import Foundation

/// A failure the sandbox can inject, to try the client against everything it must survive.
public enum FaultKind: String, Codable, Sendable, CaseIterable {
    /// 429 RateLimitExceeded with `Retry-After`. The request is not acted on.
    case rateLimited = "429"
    /// 500 InternalError. The request is not acted on.
    case serverError = "500"
    /// 503 InternalError. The request is not acted on.
    case unavailable = "503"
    /// The request is acted on, then the body is replaced by broken JSON.
    case malformed
    /// The request is acted on, then the body is replaced by a proxy's HTML error page (HTTP 502).
    case html
    /// The request is acted on, then the body is empty (HTTP 200).
    case empty
    /// The request is acted on, then the body is a valid envelope of several megabytes.
    case oversized
    /// The request is acted on, then the connection closes before any body byte.
    case drop
    /// The request is acted on, then the connection closes half way through the body.
    case dropMidBody = "drop-mid-body"
    /// The request waits `delayMs` (default 10 s) before it is acted on, then succeeds:
    /// latency for some paths only, to catch an action in flight.
    case slow
    /// The request is not acted on; the answer is `status` with the bytes of `bodyBase64`,
    /// exactly (invalid UTF-8, hostile text, any shape): for hostile-data and fuzz tests.
    case canned
    /// The request is acted on; the answer is framed by the end of the connection, which then
    /// closes without TLS close_notify: the client cannot tell whether it saw all of it.
    case closeNoNotify = "close-no-notify"
    /// The request is acted on; half the body goes out, then a TLS record that cannot be
    /// decrypted, then the connection closes.
    case brokenRecord = "broken-record"
    /// The request is read and acted on, then the connection is reset (TCP RST), no answer.
    case resetAfterRequest = "reset-after-request"
    /// The request is acted on, then the answer is held back `delayMs` (default 60 s).
    case stallAfterRequest = "stall-after-request"

    /// True when the request is refused before the sandbox acts on it.
    public var refusesBeforeActing: Bool {
        self == .rateLimited || self == .serverError || self == .unavailable || self == .canned
    }
}

/// One switchable fault: which requests it hits and how often.
public struct FaultRule: Codable, Sendable, Equatable {
    public var kind: FaultKind
    /// Hit requests whose path starts with this (nil: every API request).
    public var pathPrefix: String?
    /// Hit only requests with this method, `GET`, `POST` or `DELETE` (nil: any).
    public var method: String?
    /// Hit this many matching requests, then retire (nil: no limit).
    public var count: Int?
    /// Hit a matching request with this probability (nil: always).
    public var probability: Double?
    /// Seconds in `Retry-After` for `429`.
    public var retryAfter: Int?
    /// Milliseconds a `slow` request waits (nil: 10,000), or a `stall-after-request` answer
    /// is held back (nil: 60,000).
    public var delayMs: Int?
    /// HTTP status of a `canned` answer (nil: 200).
    public var status: Int?
    /// The body of a `canned` answer, base64 (nil: empty).
    public var bodyBase64: String?

    public init(
        kind: FaultKind, pathPrefix: String? = nil, method: String? = nil, count: Int? = nil, probability: Double? = nil,
        retryAfter: Int? = nil, delayMs: Int? = nil, status: Int? = nil, body: [UInt8]? = nil
    ) {
        self.kind = kind
        self.pathPrefix = pathPrefix
        self.method = method
        self.count = count
        self.probability = probability
        self.retryAfter = retryAfter
        self.delayMs = delayMs
        self.status = status
        self.bodyBase64 = body.map { Data($0).base64EncodedString() }
    }

    /// Parses `KIND[:PROBABILITY][@[METHOD ]PATH-PREFIX]`, for example `503:0.1`,
    /// `429@/v2/users/reset` or `drop@DELETE /v2/users/`.
    public init?(parsing text: String) {
        var rest = Substring(text)
        var prefix: String?
        var method: String?
        if let at = rest.firstIndex(of: "@") {
            var target = rest[rest.index(after: at)...]
            if let space = target.firstIndex(of: " ") {
                method = target[..<space].uppercased()
                target = target[target.index(after: space)...]
            }
            prefix = String(target)
            rest = rest[..<at]
        }
        var probability: Double?
        if let colon = rest.firstIndex(of: ":") {
            guard let value = Double(rest[rest.index(after: colon)...]), (0...1).contains(value) else { return nil }
            probability = value
            rest = rest[..<colon]
        }
        guard let kind = FaultKind(rawValue: String(rest)), kind != .canned else { return nil }
        self.init(kind: kind, pathPrefix: prefix, method: method, probability: probability)
    }
}

/// Every fault switch of a running sandbox.
public struct FaultSettings: Codable, Sendable, Equatable {
    /// Added before every API answer, in milliseconds.
    public var latencyMs: Int
    /// Requests a second allowed before answering 429 (nil: no limit).
    public var rateLimitPerSecond: Int?
    public var rules: [FaultRule]

    public init(latencyMs: Int = 0, rateLimitPerSecond: Int? = nil, rules: [FaultRule] = []) {
        self.latencyMs = latencyMs
        self.rateLimitPerSecond = rateLimitPerSecond
        self.rules = rules
    }
}

/// The decision for one request.
struct FaultDecision: Sendable {
    var latency: Duration = .zero
    var fault: FaultKind?
    var retryAfter: Int = 1
    /// The answer of a `canned` fault.
    var cannedStatus = 200
    var cannedBody: [UInt8] = []
    /// How long a `stall-after-request` answer is held back.
    var stall: Duration = .seconds(60)
}

/// Holds the switches and decides, request by request, which fault (if any) applies.
actor FaultInjector {
    private(set) var settings: FaultSettings
    private var tokens: Double = 0
    private var lastRefill = ContinuousClock.now
    private var random = SystemRandomNumberGenerator()

    init(_ settings: FaultSettings) {
        self.settings = settings
        tokens = Double(settings.rateLimitPerSecond ?? 0)
    }

    func replace(_ new: FaultSettings) {
        settings = new
        tokens = Double(new.rateLimitPerSecond ?? 0)
        lastRefill = .now
    }

    func decide(method: String, path: String) -> FaultDecision {
        var decision = FaultDecision(latency: .milliseconds(settings.latencyMs))
        if let perSecond = settings.rateLimitPerSecond, perSecond > 0 {
            let now = ContinuousClock.now
            let elapsed = now - lastRefill
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            tokens = min(Double(perSecond), tokens + seconds * Double(perSecond))
            lastRefill = now
            if tokens >= 1 {
                tokens -= 1
            } else {
                decision.fault = .rateLimited
                decision.retryAfter = 1
                return decision
            }
        }
        for index in settings.rules.indices {
            let rule = settings.rules[index]
            if let prefix = rule.pathPrefix, !path.hasPrefix(prefix) { continue }
            if let wanted = rule.method, wanted.uppercased() != method.uppercased() { continue }
            if let count = rule.count, count <= 0 { continue }
            if let probability = rule.probability, Double.random(in: 0..<1, using: &random) >= probability { continue }
            if let count = rule.count { settings.rules[index].count = count - 1 }
            if rule.kind == .slow {
                decision.latency += .milliseconds(rule.delayMs ?? 10_000)
                continue
            }
            decision.fault = rule.kind
            decision.retryAfter = rule.retryAfter ?? 1
            if rule.kind == .stallAfterRequest { decision.stall = .milliseconds(rule.delayMs ?? 60_000) }
            if rule.kind == .canned {
                decision.cannedStatus = rule.status ?? 200
                decision.cannedBody = rule.bodyBase64.flatMap { Data(base64Encoded: $0) }.map(Array.init) ?? []
            }
            break
        }
        settings.rules.removeAll { ($0.count ?? 1) <= 0 }
        return decision
    }
}
