import ECGridKit
import Foundation
import JWTKit

/// The sandbox's state and API logic: users, API keys, live JWT sessions, the AuthLevel rules,
/// and a log of the requests it received. Independent of the HTTP server, so it can be driven
/// directly too.
public actor SandboxStore {
    struct Session {
        var userId: Int
        var expiresAt: Date
    }

    struct SessionClaims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var jti: IDClaim

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
        }
    }

    /// One request the sandbox answered, for tests and the operator's curiosity.
    public struct LoggedRequest: Sendable, Equatable {
        public var method: String
        public var path: String
        public var status: Int
    }

    private var users: [Int: SandboxUser] = [:]
    private var orderedIDs: [Int] = []
    /// The IDs a caller sees through one set of list filters, in order: computed once, so a page
    /// costs its own size rather than a walk over every user before it. Cleared whenever a
    /// change could alter who is listed (terminate, role).
    private var listCache: [ListCacheKey: [Int]] = [:]
    private var keyIndex: [String: Int] = [:]
    private var sessions: [String: Session] = [:]
    private var sessionsByUser: [Int: Set<String>] = [:]
    private let signer = JWTKeyCollection()
    private let tokenLifetime: TimeInterval
    private var log: [LoggedRequest] = []
    private var rng: SeededRandom

    /// - Parameters:
    ///   - userCount: users in all, the three well-known accounts included (at most 100,000).
    ///   - seed: the same seed gives the same users and keys.
    ///   - tokenLifetime: how long a bearer token lives.
    ///   - initialSessions: open some sessions for random users at start, so counts are not all zero.
    public init(userCount: Int = 300, seed: UInt64 = 20_261_124, tokenLifetime: TimeInterval = 900, initialSessions: Bool = true) async {
        self.tokenLifetime = tokenLifetime
        rng = SeededRandom(seed: seed ^ 0x5EED)
        let seeded = SeedData.users(count: min(max(userCount, 3), 100_000), seed: seed)
        for user in seeded {
            users[user.record.userId] = user
            keyIndex[user.apiKey] = user.record.userId
        }
        orderedIDs = seeded.map(\.record.userId).sorted()
        var secret = SystemRandomNumberGenerator()
        let keyBytes = (0..<48).map { _ in UInt8.random(in: 0...255, using: &secret) }
        await signer.add(hmac: HMACKey(from: keyBytes), digestAlgorithm: .sha256)
        if initialSessions {
            for id in orderedIDs where id >= SandboxAccounts.firstGeneratedID {
                let roll = rng.below(10)
                guard roll < 3, users[id]?.record.status == .active else { continue }
                for _ in 0...(roll) { _ = try? await openSession(for: id) }
            }
        }
    }

    // MARK: Facts for tests, the CLI banner and the console

    /// The API key of a user (the demo operator's is printed at start).
    public func apiKey(of userId: Int) -> String? { users[userId]?.apiKey }

    /// The current record of a user, with its live session count.
    public func user(_ userId: Int) -> User? {
        guard var record = users[userId]?.record else { return nil }
        record.openSessions = liveSessionCount(userId)
        return record
    }

    /// How many users the sandbox holds.
    public var userCount: Int { orderedIDs.count }

    /// Live bearer sessions of a user.
    public func liveSessionCount(_ userId: Int) -> Int {
        let now = Date()
        return sessionsByUser[userId]?.reduce(0) { $0 + ((sessions[$1]?.expiresAt ?? now) > now ? 1 : 0) } ?? 0
    }

    /// Every request answered so far, oldest first.
    public var requests: [LoggedRequest] { log }

    /// How many requests matched `method` and a path starting with `prefix`.
    public func count(method: String, pathPrefix: String) -> Int {
        log.filter { $0.method == method && $0.path.hasPrefix(pathPrefix) }.count
    }

    /// Opens a bearer session for a user, as a login would, and returns its token.
    @discardableResult
    public func openSession(for userId: Int) async throws -> String {
        let id = rng.hex(24)
        let now = Date()
        let expires = now.addingTimeInterval(tokenLifetime)
        let claims = SessionClaims(
            sub: SubjectClaim(value: String(userId)), exp: ExpirationClaim(value: expires),
            iat: IssuedAtClaim(value: now), jti: IDClaim(value: id))
        let token = try await signer.sign(claims)
        sessions[id] = Session(userId: userId, expiresAt: expires)
        sessionsByUser[userId, default: []].insert(id)
        return token
    }

    /// Logs in a random active user now and then: live activity for the console to show.
    func simulateActivity() async {
        let id = orderedIDs[rng.below(orderedIDs.count)]
        guard users[id]?.record.status == .active else { return }
        _ = try? await openSession(for: id)
    }

    func record(_ method: String, _ path: String, _ status: Int) {
        log.append(LoggedRequest(method: method, path: path, status: status))
        if log.count > 200_000 { log.removeFirst(100_000) }
    }

    // MARK: Handling

    /// Answers one API request.
    public func handle(_ request: SandboxRequest) async -> SandboxReply {
        let reply = await route(request)
        record(request.method, request.path, reply.status)
        return reply
    }

    private func route(_ request: SandboxRequest) async -> SandboxReply {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count >= 3, parts[0] == "v2" else { return .fail(404, "ObjectNotFound", "No such endpoint.") }
        let method = request.method
        func allow(_ allowed: String) -> SandboxReply? {
            method == allowed ? nil
                : .fail(405, "InvalidParameter", "\(method) is not allowed on \(request.path); use \(allowed).")
        }
        switch (parts[1], parts[2], parts.count) {
        case ("auth", "version", 3):
            return allow("GET") ?? .ok("2.6.0-sandbox")
        case ("auth", "login", 3):
            if let refused = allow("POST") { return refused }
            return await login(request)
        case ("auth", "refresh", 3):
            if let refused = allow("POST") { return refused }
            return await refresh(request)
        case ("auth", "session", 3):
            if let refused = allow("POST") { return refused }
            return await authenticated(request) { caller, session in self.sessionInfo(caller, session) }
        case ("auth", "logout", 3):
            if let refused = allow("POST") { return refused }
            return await authenticated(request) { _, session in self.logout(session) }
        case ("users", "list", 3):
            if let refused = allow("POST") { return refused }
            return await authenticated(request) { caller, _ in self.list(caller, request.body) }
        case ("users", "me", 3):
            if let refused = allow("GET") { return refused }
            return await authenticated(request) { caller, _ in self.show(caller, caller.record.userId) }
        case ("users", "by-name", 3):
            if let refused = allow("POST") { return refused }
            return await authenticated(request) { caller, _ in self.byName(caller, request.body) }
        case ("users", "role", 3):
            if let refused = allow("POST") { return refused }
            return await authenticated(request) { caller, _ in self.role(caller, request.body) }
        case ("users", "reset", 4), ("users", "key-generate", 4), ("users", "key", 4):
            let allowed = parts[2] == "key" ? "GET" : "POST"
            if let refused = allow(allowed) { return refused }
            guard let target = Int(parts[3]) else { return .fail(400, "InvalidParameter", "User ID must be a number.") }
            return await authenticated(request) { caller, _ in
                switch parts[2] {
                case "reset": self.reset(caller, target)
                case "key-generate": self.generateKey(caller, target)
                default: self.showKey(caller, target)
                }
            }
        case ("users", let id, 3):
            guard let target = Int(id) else { return .fail(400, "InvalidParameter", "User ID must be a number.") }
            switch method {
            case "GET": return await authenticated(request) { caller, _ in self.show(caller, target) }
            case "DELETE": return await authenticated(request) { caller, _ in self.terminate(caller, target) }
            default: return .fail(405, "InvalidParameter", "\(method) is not allowed on \(request.path).")
            }
        default:
            return .fail(404, "ObjectNotFound", "No such endpoint.")
        }
    }

    // MARK: Credentials

    private func authenticated(
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

    private func login(_ request: SandboxRequest) async -> SandboxReply {
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

    private func issue(for userId: Int) async -> SandboxReply {
        guard let token = try? await openSession(for: userId) else {
            return .fail(500, "InternalError", "Could not sign a token.")
        }
        let expires = ECGridDate(Date().addingTimeInterval(tokenLifetime)).text
        return .ok(TokenOut(token: token, expiresAt: expires, userId: userId))
    }

    private func refresh(_ request: SandboxRequest) async -> SandboxReply {
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

    private func sessionInfo(_ caller: SandboxUser, _ jti: String?) -> SandboxReply {
        let record = caller.record
        let expires = jti.flatMap { sessions[$0]?.expiresAt }.map { ECGridDate($0).text }
        return .ok(SessionOut(
            userId: record.userId, login: record.login, networkId: record.networkId, mailboxId: record.mailboxId,
            authLevel: record.authLevel?.rawValue, expiresAt: expires))
    }

    private func logout(_ jti: String?) -> SandboxReply {
        guard let jti else { return .fail(400, "InvalidParameter", "Logout needs a bearer session, not an API key.") }
        revoke(jti: jti)
        return .ok(Optional<Bool>.none, message: "Session terminated.")
    }

    private func revoke(jti: String) {
        guard let session = sessions.removeValue(forKey: jti) else { return }
        sessionsByUser[session.userId]?.remove(jti)
    }

    private func revokeAll(_ userId: Int) -> Int {
        let ids = sessionsByUser.removeValue(forKey: userId) ?? []
        for id in ids { sessions.removeValue(forKey: id) }
        return ids.count
    }

    // MARK: Visibility and AuthLevel rules

    private func canSee(_ caller: User, _ target: User) -> Bool {
        if caller.userId == target.userId { return true }
        guard let level = caller.authLevel else { return false }
        if level.isAtLeast(.netOps) { return true }
        if level.isAtLeast(.networkUser) { return caller.networkId == target.networkId }
        return caller.networkId == target.networkId && caller.mailboxId == target.mailboxId
    }

    /// Reset, terminate and key generation: NetworkAdmin or higher in the target's network, and
    /// never on someone of a higher level.
    private func canManage(_ caller: User, _ target: User) -> Bool {
        guard let level = caller.authLevel, level.isAtLeast(.networkAdmin) else { return false }
        if let targetLevel = target.authLevel, targetLevel.isKnown, !level.isAtLeast(targetLevel) { return false }
        return level.isAtLeast(.netOps) || caller.networkId == target.networkId
    }

    private func wire(_ id: Int) -> WireUser? {
        guard let stored = users[id] else { return nil }
        var record = stored.record
        record.openSessions = liveSessionCount(id)
        return WireUser(user: record, quirky: stored.quirky)
    }

    /// The target when the caller may see it, else the 404 to send.
    private func visible(_ caller: SandboxUser, _ id: Int) -> Result<SandboxUser, ReplyError> {
        guard let target = users[id], canSee(caller.record, target.record) else {
            return .failure(ReplyError(reply: .fail(404, "ObjectNotFound", "User \(id) was not found.")))
        }
        return .success(target)
    }

    struct ReplyError: Error { var reply: SandboxReply }

    private func managed(_ caller: SandboxUser, _ id: Int) -> Result<SandboxUser, ReplyError> {
        visible(caller, id).flatMap { target in
            canManage(caller.record, target.record) ? .success(target)
                : .failure(ReplyError(reply: .fail(403, "AccessDenied",
                    "AuthLevel \(caller.record.authLevel?.rawValue ?? "?") may not manage user \(id).")))
        }
    }

    // MARK: Users

    private func show(_ caller: SandboxUser, _ id: Int) -> SandboxReply {
        switch visible(caller, id) {
        case .failure(let error): return error.reply
        case .success: return wire(id).map { .ok($0) } ?? .fail(404, "ObjectNotFound", "User \(id) was not found.")
        }
    }

    private func list(_ caller: SandboxUser, _ raw: [UInt8]) -> SandboxReply {
        let body: ListBody
        if raw.isEmpty {
            body = ListBody()
        } else {
            guard let decoded = try? JSONDecoder().decode(ListBody.self, from: Data(raw)) else {
                return .fail(400, "InvalidParameter", "The body is not a valid list request.")
            }
            body = decoded
        }
        let pageNo = body.pageNo ?? 1
        let perPage = body.recordsPerPage ?? 25
        guard pageNo >= 1, (1...1000).contains(perPage) else {
            return .fail(400, "InvalidParameter", "pageNo must be at least 1 and recordsPerPage 1 to 1000.")
        }
        let level = body.authLevel.map(AuthLevel.parse)
        let status = body.status.map(UserStatus.parse)
        let key = ListCacheKey(
            caller: caller.record.userId, networkId: body.networkId, mailboxId: body.mailboxId, authLevel: level,
            status: status)
        let listed: [Int]
        if let cached = listCache[key] {
            listed = cached
        } else {
            listed = orderedIDs.filter { id in
                guard let user = users[id]?.record, canSee(caller.record, user) else { return false }
                if let network = body.networkId, user.networkId != network { return false }
                if let mailbox = body.mailboxId, user.mailboxId != mailbox { return false }
                if let level, user.authLevel != level { return false }
                if let status, user.status != status { return false }
                return true
            }
            listCache[key] = listed
        }
        let skip = (pageNo - 1) * perPage
        guard skip < listed.count else { return SandboxReply(status: 200, body: WireUserWriter.envelope([])) }
        return SandboxReply(status: 200, body: WireUserWriter.envelope(listed[skip..<min(skip + perPage, listed.count)].compactMap { wire($0) }))
    }

    private func byName(_ caller: SandboxUser, _ raw: [UInt8]) -> SandboxReply {
        guard let body = try? JSONDecoder().decode(ByNameBody.self, from: Data(raw)),
            let login = body.login ?? body.loginName, !login.isEmpty
        else {
            return .fail(400, "InvalidParameter", "login is required.")
        }
        let matches = orderedIDs.compactMap { id -> WireUser? in
            guard let user = users[id]?.record, user.login.caseInsensitiveCompare(login) == .orderedSame,
                canSee(caller.record, user)
            else { return nil }
            return wire(id)
        }
        return SandboxReply(status: 200, body: WireUserWriter.envelope(matches))
    }

    private func reset(_ caller: SandboxUser, _ id: Int) -> SandboxReply {
        switch managed(caller, id) {
        case .failure(let error): return error.reply
        case .success:
            _ = revokeAll(id)
            return .ok(true)
        }
    }

    private func generateKey(_ caller: SandboxUser, _ id: Int) -> SandboxReply {
        switch managed(caller, id) {
        case .failure(let error): return error.reply
        case .success(let target):
            keyIndex.removeValue(forKey: target.apiKey)
            let key = "sbx_" + rng.hex(40)
            users[id]?.apiKey = key
            keyIndex[key] = id
            return .ok(key)
        }
    }

    private func showKey(_ caller: SandboxUser, _ id: Int) -> SandboxReply {
        switch managed(caller, id) {
        case .failure(let error): return error.reply
        case .success(let target): return .ok(target.apiKey)
        }
    }

    private func terminate(_ caller: SandboxUser, _ id: Int) -> SandboxReply {
        switch managed(caller, id) {
        case .failure(let error): return error.reply
        case .success(let target):
            _ = revokeAll(id)
            keyIndex.removeValue(forKey: target.apiKey)
            users[id]?.record.status = .terminated
            users[id]?.record.modified = ECGridDate(Date())
            listCache = [:]
            return .ok(true)
        }
    }

    private func role(_ caller: SandboxUser, _ raw: [UInt8]) -> SandboxReply {
        guard let body = try? JSONDecoder().decode(RoleBody.self, from: Data(raw)) else {
            return .fail(400, "InvalidParameter", "userId and authLevel are required.")
        }
        let level = AuthLevel.parse(body.authLevel)
        guard level.isKnown else { return .fail(400, "InvalidParameter", "Unknown authLevel \(body.authLevel).") }
        switch managed(caller, body.userId) {
        case .failure(let error): return error.reply
        case .success:
            if level != .noChange {
                guard caller.record.authLevel?.isAtLeast(level) == true else {
                    return .fail(403, "AccessDenied", "You may not grant a level above your own.")
                }
                users[body.userId]?.record.authLevel = level
            }
            if let network = body.networkId { users[body.userId]?.record.networkId = network }
            if let mailbox = body.mailboxId { users[body.userId]?.record.mailboxId = mailbox }
            users[body.userId]?.record.modified = ECGridDate(Date())
            listCache = [:]
            return wire(body.userId).map { .ok($0) } ?? .fail(404, "ObjectNotFound", "User was not found.")
        }
    }
}

/// Who lists and through which filters: the key of the sandbox's list cache.
struct ListCacheKey: Hashable {
    var caller: Int
    var networkId: Int?
    var mailboxId: Int?
    var authLevel: AuthLevel?
    var status: UserStatus?
}
