/// One HTTP request as the client hands it to a transport.
public struct TransportRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// The whole exchange must finish within this time.
    public var timeout: Duration
    /// Bodies larger than this are refused with `bodyTooLarge`.
    public var maxBodyBytes: Int

    public init(
        method: String, url: String, headers: [(name: String, value: String)], body: [UInt8]?, timeout: Duration,
        maxBodyBytes: Int
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }
}

/// The answer a transport returns: status, headers and the whole body.
public struct TransportResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header of that name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}

/// Sends requests. Production uses AsyncHTTPClient; tests may put any transport in its place.
/// Implementations throw `ECGridError` with kinds `timeout`, `connectionRefused`,
/// `connectionDropped`, `hostNotFound`, `tlsFailure`, `bodyTooLarge`, `cancelled` or `transport`.
public protocol HTTPTransport: Sendable {
    func send(_ request: TransportRequest) async throws -> TransportResponse
}
