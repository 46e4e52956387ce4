import ECGridKit
import Foundation
import JWTKit

/// Credentials (API keys, bearer sessions) and who may see and manage whom.
extension SandboxStore {
    // MARK: Credentials

    func authenticated(
        _ request: SandboxRequest, _ body: (SandboxUser, String?) async -> SandboxReply
    ) async -> SandboxReply {
        if let header = request.headers["authorization"] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                return .fail(401, "InvalidSession", "Authorization must be a bearer token.")
            }
            guard let claims = try? await signer.verify(String(parts[1]), as: SessionClaims.self),
                let session = sessions[claims.jti.value], session.expiresAt > Date(),
                let user = users[session.userId], user.record.status != .terminated
            else {
                return .fail(401, "InvalidSession", "The session is expired, revoked or invalid. Log in again.")
            }
            return await body(user, claims.jti.value)
        }
        guard let key = request.headers["x-api-key"], !key.isEmpty else {
            return .fail(401, "InvalidAPIKey", "An API key (X-API-Key) or bearer token is required.")
        }
        guard let id = keyIndex[key], let user = users[id], user.record.status != .terminated else {
            return .fail(401, "InvalidAPIKey", "The API key is not valid.")
        }
        return await body(user, nil)
    }

    func login(_ request: SandboxRequest) async -> SandboxReply {
        guard let body = try? JSONDecoder().decode(LoginBody.self, from: Data(request.body)),
            let login = body.login ?? body.loginName, let password = body.password
        else {
            return .fail(400, "InvalidParameter", "login and password are required.")
        }
        guard let user = users.values.first(where: { $0.record.login == login && $0.password == password }),
            user.record.status != .terminated, user.record.status != .suspended
        else {
            return .fail(401, "InvalidCredentials", "Login failed.")
        }
        return await issue(for: user.record.userId)
    }

    func issue(for userId: Int) async -> SandboxReply {
        guard let token = try? await openSession(for: userId) else {
            return .fail(500, "InternalError", "Could not sign a token.")
        }
        let expires = ECGridDate(Date().addingTimeInterval(tokenLifetime)).text
        return .ok(TokenOut(token: token, expiresAt: expires, userId: userId))
    }

    func refresh(_ request: SandboxRequest) async -> SandboxReply {
        guard let body = try? JSONDecoder().decode(TokenBody.self, from: Data(request.body)), let token = body.token else {
            return .fail(400, "InvalidParameter", "token is required.")
        }
        guard let claims = try? await signer.verify(token, as: SessionClaims.self),
            let session = sessions[claims.jti.value], session.expiresAt > Date()
        else {
            return .fail(401, "InvalidSession", "The session is expired, revoked or invalid. Log in again.")
        }
        revoke(jti: claims.jti.value)
        return await issue(for: session.userId)
    }

    func sessionInfo(_ caller: SandboxUser, _ jti: String?) -> SandboxReply {
        let record = caller.record
        let expires = jti.flatMap { sessions[$0]?.expiresAt }.map { ECGridDate($0).text }
        return .ok(SessionOut(
            userId: record.userId, login: record.login, networkId: record.networkId, mailboxId: record.mailboxId,
            authLevel: record.authLevel?.rawValue, expiresAt: expires))
    }

    func logout(_ jti: String?) -> SandboxReply {
        guard let jti else { return .fail(400, "InvalidParameter", "Logout needs a bearer session, not an API key.") }
        revoke(jti: jti)
        return .ok(Optional<Bool>.none, message: "Session terminated.")
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

    /// Reset, terminate and key generation: NetworkAdmin or higher in the target's network, and
    /// never on someone of a higher level.
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

    /// The target when the caller may see it, else the 404 to send.
    func visible(_ caller: SandboxUser, _ id: Int) -> Result<SandboxUser, ReplyError> {
        guard let target = users[id], canSee(caller.record, target.record) else {
            return .failure(ReplyError(reply: .fail(404, "ObjectNotFound", "User \(id) was not found.")))
        }
        return .success(target)
    }

    struct ReplyError: Error { var reply: SandboxReply }

    func managed(_ caller: SandboxUser, _ id: Int) -> Result<SandboxUser, ReplyError> {
        visible(caller, id).flatMap { target in
            canManage(caller.record, target.record) ? .success(target)
                : .failure(ReplyError(reply: .fail(403, "AccessDenied",
                    "AuthLevel \(caller.record.authLevel?.rawValue ?? "?") may not manage user \(id).")))
        }
    }
}
