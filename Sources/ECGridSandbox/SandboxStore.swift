import ECGridKit
import Foundation
import JWTKit

/// The sandbox's state and API logic: users, API keys, live JWT sessions, the AuthLevel rules,
/// and a log of the requests it answered. Its calls take decoded inputs and the caller, and
/// return the data of the answer or throw the error envelope; the routes (`SandboxRoutes`) do
/// the HTTP.
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

    var users: [Int: SandboxUser] = [:]
    var orderedIDs: [Int] = []
    /// The IDs a caller sees through one set of list filters, in order: computed once, so a page
    /// costs its own size rather than a walk over every user before it. Cleared whenever a
    /// change could alter who is listed (terminate, role).
    var listCache: [ListCacheKey: [Int]] = [:]
    /// Every live API key by `keyId`, and the `keyId` of each by its secret.
    var keys: [Int: SandboxKey] = [:]
    var keyIndex: [String: Int] = [:]
    var nextKeyID = 1
    var sessions: [String: Session] = [:]
    var sessionsByUser: [Int: Set<String>] = [:]
    let signer = JWTKeyCollection()
    let tokenLifetime: TimeInterval
    var log: [LoggedRequest] = []
    var smsLog: [SentSMS] = []
    var rng: SeededRandom

    /// - Parameters:
    ///   - userCount: users in all, the three well-known accounts included (at most 100,000).
    ///   - seed: the same seed gives the same users and keys.
    ///   - tokenLifetime: how long a bearer token lives.
    ///   - initialSessions: open some sessions for random users at start, so counts are not all zero.
    public init(userCount: Int = 300, seed: UInt64 = 20_261_124, tokenLifetime: TimeInterval = 900, initialSessions: Bool = true) async {
        self.tokenLifetime = tokenLifetime
        rng = SeededRandom(seed: seed ^ 0x5EED)
        let seeded = SeedData.population(count: min(max(userCount, 3), 100_000), seed: seed)
        for user in seeded.users { users[user.record.userId] = user }
        for key in seeded.keys {
            keys[key.keyId] = key
            keyIndex[key.secret] = key.keyId
        }
        nextKeyID = seeded.keys.count + 1
        orderedIDs = seeded.users.map(\.record.userId).sorted()
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

    /// The primary API key of a user (the demo operator's is printed at start).
    public func apiKey(of userId: Int) -> String? { users[userId]?.keyIDs.first.flatMap { keys[$0]?.secret } }

    /// Every live API key of a user, the primary first (test API: the API shows them masked).
    package func apiKeys(of userId: Int) -> [String] { users[userId]?.keyIDs.compactMap { keys[$0]?.secret } ?? [] }

    /// The password a user logs in with now.
    package func password(of userId: Int) -> String? { users[userId]?.password }

    /// Every SMS sent so far (`POST /v2/users/send-sms`), oldest first.
    package var sentSMS: [SentSMS] { smsLog }

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

    /// Logs an answered request (`RequestLogMiddleware`).
    func record(_ method: String, _ path: String, _ status: Int) {
        log.append(LoggedRequest(method: method, path: path, status: status))
        if log.count > 200_000 { log.removeFirst(100_000) }
    }
}
