import ECGridKit
import Foundation
import JWTKit

/// Credentials (API keys, bearer sessions) and who may see and manage whom.
extension SandboxStore {
    // MARK: Credentials

    /// Who a call comes from: the user behind its credential, and the bearer session it used
    /// (nil for an API key).
    struct Caller: Sendable {
        var user: SandboxUser
        var session: String?

        var record: User { user.record }
    }

    /// The caller behind `credential`, else the 401 ECGrid answers.
    func authenticate(_ credential: SandboxCredential) async throws(EnvelopeError) -> Caller {
        switch credential {
        case .bearer(let token):
            guard let claims = try? await signer.verify(token, as: SessionClaims.self),
                let session = sessions[claims.jti.value], session.expiresAt > Date(),
                let user = users[session.userId], user.record.status != .terminated
            else {
                throw EnvelopeError(401, "InvalidSession", "The session is expired, revoked or invalid. Log in again.")
            }
            return Caller(user: user, session: claims.jti.value)
        case .malformedAuthorization:
            throw EnvelopeError(401, "InvalidSession", "Authorization must be a bearer token.")
        case .none:
            throw EnvelopeError(401, "InvalidAPIKey", "An API key (X-API-Key) or bearer token is required.")
        case .apiKey(let key):
            guard let keyId = keyIndex[key], let owner = keys[keyId]?.userId, let user = users[owner],
                user.record.status != .terminated
            else {
                throw EnvelopeError(401, "InvalidAPIKey", "The API key is not valid.")
            }
            return Caller(user: user, session: nil)
        }
    }

    func login(_ login: String, password: String) async throws(EnvelopeError) -> TokenOut {
        guard let user = users.values.first(where: { $0.record.login == login && $0.password == password }),
            user.record.status != .terminated, user.record.status != .suspended
        else {
            throw EnvelopeError(401, "InvalidCredentials", "Login failed.")
        }
        return try await issue(for: user.record.userId)
    }

    func issue(for userId: Int) async throws(EnvelopeError) -> TokenOut {
        guard let token = try? await openSession(for: userId) else {
            throw EnvelopeError(500, "InternalError", "Could not sign a token.")
        }
        let expires = ECGridDate(Date().addingTimeInterval(tokenLifetime)).text
        return TokenOut(token: token, expiresAt: expires, userId: userId)
    }

    /// A new token for the session of `token`, which stops working.
    func refresh(_ token: String) async throws(EnvelopeError) -> TokenOut {
        guard let claims = try? await signer.verify(token, as: SessionClaims.self),
            let session = sessions[claims.jti.value], session.expiresAt > Date()
        else {
            throw EnvelopeError(401, "InvalidSession", "The session is expired, revoked or invalid. Log in again.")
        }
        revoke(jti: claims.jti.value)
        return try await issue(for: session.userId)
    }

    func sessionInfo(_ caller: Caller) -> SessionOut {
        let record = caller.record
        let expires = caller.session.flatMap { sessions[$0]?.expiresAt }.map { ECGridDate($0).text }
        return SessionOut(
            userId: record.userId, login: record.login, networkId: record.networkId, mailboxId: record.mailboxId,
            authLevel: record.authLevel?.rawValue, expiresAt: expires)
    }

    /// Ends the caller's bearer session.
    func logout(_ caller: Caller) throws(EnvelopeError) {
        guard let jti = caller.session else {
            throw EnvelopeError(400, "InvalidParameter", "Logout needs a bearer session, not an API key.")
        }
        revoke(jti: jti)
    }

    func revoke(jti: String) {
        guard let session = sessions.removeValue(forKey: jti) else { return }
        sessionsByUser[session.userId]?.remove(jti)
    }

    func revokeAll(_ userId: Int) -> Int {
        let ids = sessionsByUser.removeValue(forKey: userId) ?? []
        for id in ids { sessions.removeValue(forKey: id) }
        return ids.count
    }

    // MARK: Visibility and AuthLevel rules

    func canSee(_ caller: User, _ target: User) -> Bool {
        if caller.userId == target.userId { return true }
        guard let level = caller.authLevel else { return false }
        if level.isAtLeast(.netOps) { return true }
        if level.isAtLeast(.networkUser) { return caller.networkId == target.networkId }
        return caller.networkId == target.networkId && caller.mailboxId == target.mailboxId
    }

    /// Reset, terminate, passwords, keys and SMS: NetworkAdmin or higher in the target's
    /// network, and never on someone of a higher level.
    func canManage(_ caller: User, _ target: User) -> Bool {
        guard let level = caller.authLevel, level.isAtLeast(.networkAdmin) else { return false }
        if let targetLevel = target.authLevel, targetLevel.isKnown, !level.isAtLeast(targetLevel) { return false }
        return level.isAtLeast(.netOps) || caller.networkId == target.networkId
    }

    func wire(_ id: Int) -> WireUser? {
        guard let stored = users[id] else { return nil }
        var record = stored.record
        record.openSessions = liveSessionCount(id)
        return WireUser(user: record, quirky: stored.quirky)
    }

    /// The target when the caller may see it, else the 404 ECGrid answers.
    func visible(_ caller: Caller, _ id: Int) throws(EnvelopeError) -> SandboxUser {
        guard let target = users[id], canSee(caller.record, target.record) else {
            throw EnvelopeError(404, "ObjectNotFound", "User \(id) was not found.")
        }
        return target
    }

    /// The target when the caller may manage it, else the 404 or 403 ECGrid answers.
    func managed(_ caller: Caller, _ id: Int) throws(EnvelopeError) -> SandboxUser {
        let target = try visible(caller, id)
        guard canManage(caller.record, target.record) else {
            throw EnvelopeError(403, "AccessDenied", "AuthLevel \(caller.record.authLevel?.rawValue ?? "?") may not manage user \(id).")
        }
        return target
    }
}
