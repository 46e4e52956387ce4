/// A credential string that never prints itself: `description`, `debugDescription` and
/// string interpolation all show `<redacted>`. Read `revealed` only where it goes on the wire.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The secret text itself.
    public let revealed: String

    public init(_ value: String) { self.revealed = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
    public var isEmpty: Bool { revealed.isEmpty }
}

/// How a request proves who is calling.
public enum Credential: Sendable, CustomStringConvertible {
    /// A long-lived API key, sent as `X-API-Key`.
    case apiKey(Secret)
    /// A bearer JWT, sent as `Authorization: Bearer`.
    case bearer(Secret)

    public var description: String {
        switch self {
        case .apiKey: "API key"
        case .bearer: "bearer token"
        }
    }

    /// The header that carries this credential.
    var header: (name: String, value: String) {
        switch self {
        case .apiKey(let key): ("X-API-Key", key.revealed)
        case .bearer(let token): ("Authorization", "Bearer \(token.revealed)")
        }
    }
}

/// Supplies the credential for each request; a bearer provider refreshes before expiry.
public protocol CredentialProvider: Sendable {
    /// The credential to send now.
    func credential(using client: ECGridClient) async throws -> Credential
    /// Told when the server rejected the credential (401), so a provider can forget it.
    func rejected(_ error: ECGridError) async
}

extension CredentialProvider {
    public func rejected(_ error: ECGridError) async {}
}

/// A fixed credential: an API key, or a bearer token obtained elsewhere.
public struct StaticCredential: CredentialProvider {
    public let value: Credential
    public init(_ value: Credential) { self.value = value }
    public func credential(using client: ECGridClient) async throws -> Credential { value }
}

/// A bearer session obtained by `POST /v2/auth/login` and refreshed (`POST /v2/auth/refresh`)
/// when less than `refreshMargin` of its life is left. The password is kept only in memory.
public actor BearerSession: CredentialProvider {
    private let login: String
    private let password: Secret
    private let refreshMargin: Duration
    private var current: TokenInfo?
    private let now: @Sendable () -> ContinuousClock.Instant
    private var obtainedAt: ContinuousClock.Instant?
    private var lifetime: Duration?

    public init(login: String, password: Secret, refreshMargin: Duration = .seconds(60)) {
        self.login = login
        self.password = password
        self.refreshMargin = refreshMargin
        self.now = { ContinuousClock.now }
    }

    /// The token currently held, if any (for logout and tests; never print it).
    public var token: Secret? { current.map { Secret($0.token) } }

    public func credential(using client: ECGridClient) async throws -> Credential {
        if let current, let obtainedAt, let lifetime {
            let age = now() - obtainedAt
            if age + refreshMargin < lifetime {
                return .bearer(Secret(current.token))
            }
            // Close to expiry: refresh; on failure, log in again.
            let tokenless = client.withCredentials(StaticCredential(.bearer(Secret(current.token))))
            if let refreshed = try? await tokenless.refresh(token: Secret(current.token)).value {
                store(refreshed)
                return .bearer(Secret(refreshed.token))
            }
        }
        let fresh = try await client.login(login: login, password: password).value
        store(fresh)
        return .bearer(Secret(fresh.token))
    }

    public func rejected(_ error: ECGridError) async {
        if error.errorCode == "InvalidSession" { current = nil }
    }

    private func store(_ info: TokenInfo) {
        current = info
        obtainedAt = now()
        if let expiry = info.expiresAt {
            let seconds = max(0, expiry.date.timeIntervalSinceNow)
            lifetime = .milliseconds(Int64(seconds * 1000))
        } else {
            lifetime = .seconds(15 * 60)
        }
    }
}
