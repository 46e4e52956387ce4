import Foundation

/// An operator's bearer session: one `POST /v2/auth/login`, refreshed
/// (`POST /v2/auth/refresh`) before it expires, ended with `POST /v2/auth/logout`.
///
/// The one bearer-session provider of the tool. It keeps no password: when the server revokes the session
/// (401 `InvalidSession`, for example because someone reset this operator's sessions), it stays
/// revoked until the operator logs in again with `renew`. Logging back in silently would undo
/// exactly the reset that may have been meant for this operator.
public actor TokenSession: CredentialProvider {
    private var current: TokenInfo?
    private var obtainedAt: ContinuousClock.Instant?
    private var lifetime: Duration = .seconds(15 * 60)
    private let refreshMargin: Duration
    /// True once the server said the session is no longer valid.
    public private(set) var revoked = false

    public init(refreshMargin: Duration = .seconds(60)) {
        self.refreshMargin = refreshMargin
    }

    /// Logs in (or in again) and keeps the token; the password is used once and dropped.
    @discardableResult
    public func renew(login: String, password: Secret, using client: ECGridClient) async throws -> TokenInfo {
        let info = try await client.withCredentials(nil).login(login: login, password: password).value
        store(info)
        revoked = false
        return info
    }

    /// True while a token is held and not revoked.
    public var isActive: Bool { current != nil && !revoked }

    public func credential(using client: ECGridClient) async throws -> Credential {
        guard let current, !revoked else {
            throw ECGridError(
                .missingCredentials, detail: "the login session ended or was revoked; log in again")
        }
        if let obtainedAt, ContinuousClock.now - obtainedAt + refreshMargin >= lifetime {
            let holder = client.withCredentials(StaticCredential(.bearer(Secret(current.token))))
            if let refreshed = try? await holder.refresh(token: Secret(current.token)).value {
                store(refreshed)
                return .bearer(Secret(refreshed.token))
            }
        }
        return .bearer(Secret(current.token))
    }

    public func rejected(_ error: ECGridError) async {
        if error.httpStatus == 401 { revoked = true }
    }

    /// Ends the session on the server (best effort) and forgets the token.
    public func logout(using client: ECGridClient) async {
        if let current, !revoked {
            let holder = client.withCredentials(StaticCredential(.bearer(Secret(current.token))))
            _ = try? await holder.logout()
        }
        current = nil
        obtainedAt = nil
    }

    /// The token, to save in a 0600 file when the operator asks (never print it).
    public var token: Secret? { current.map { Secret($0.token) } }

    private func store(_ info: TokenInfo) {
        current = info
        obtainedAt = .now
        if let expiry = info.expiresAt {
            lifetime = .milliseconds(Int64(max(0, expiry.date.timeIntervalSinceNow) * 1000))
        } else {
            lifetime = .seconds(15 * 60)
        }
    }
}
