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
