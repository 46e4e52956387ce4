/// Every ECGrid response body: `{ "success", "data", "errorCode", "message" }`.
/// `errorCode` and `message` may be absent on success; `data` is null on error.
public struct Envelope<Payload: Decodable & Sendable>: Decodable, Sendable {
    public var success: Bool
    public var data: Payload?
    public var errorCode: String?
    public var message: String?

    enum CodingKeys: String, CodingKey { case success, data, errorCode, message }

    public init(success: Bool, data: Payload?, errorCode: String?, message: String?) {
        self.success = success
        self.data = data
        self.errorCode = errorCode
        self.message = message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        success = try c.decode(Bool.self, forKey: .success)
        data = try c.decodeIfPresent(Payload.self, forKey: .data)
        errorCode = try? c.decodeIfPresent(String.self, forKey: .errorCode)
        message = try? c.decodeIfPresent(String.self, forKey: .message)
    }
}

/// An envelope whose payload is not read: enough to learn `success`, `errorCode` and `message`
/// of any reply, whatever its `data` holds.
struct BareEnvelope: Decodable {
    var success: Bool
    var errorCode: String?
    var message: String?

    enum CodingKeys: String, CodingKey { case success, errorCode, message }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        success = try c.decode(Bool.self, forKey: .success)
        errorCode = try? c.decodeIfPresent(String.self, forKey: .errorCode)
        message = try? c.decodeIfPresent(String.self, forKey: .message)
    }
}

/// What the server answered, apart from the payload itself: the facts an operator and the
/// incident history need. `dataSummary` is a short rendering of `data`, or `"<redacted>"` for
/// calls whose payload is a secret (a generated API key, a token).
public struct ExchangeRecord: Codable, Sendable, Equatable {
    /// HTTP method and path, for example `POST /v2/users/reset/42`.
    public var request: String
    public var httpStatus: Int?
    public var success: Bool?
    public var errorCode: String?
    public var message: String?
    public var dataSummary: String?
    /// Wall time from the first attempt to the final answer, in milliseconds.
    public var latencyMs: Int
    /// How many times the request was sent (1 when no retry was needed).
    public var attempts: Int

    public init(
        request: String, httpStatus: Int?, success: Bool?, errorCode: String?, message: String?,
        dataSummary: String?, latencyMs: Int, attempts: Int
    ) {
        self.request = request
        self.httpStatus = httpStatus
        self.success = success
        self.errorCode = errorCode
        self.message = message
        self.dataSummary = dataSummary
        self.latencyMs = latencyMs
        self.attempts = attempts
    }
}

/// A decoded payload with the record of the exchange that produced it.
public struct ECGridResponse<Value: Sendable>: Sendable {
    public var value: Value
    public var exchange: ExchangeRecord

    public init(value: Value, exchange: ExchangeRecord) {
        self.value = value
        self.exchange = exchange
    }
}
