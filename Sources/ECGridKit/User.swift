import Foundation

/// An ECGrid user record (`UserIDInfo`).
///
/// Decoding is tolerant, as the documentation's own pages disagree: `login` or `loginName`,
/// unknown fields ignored, optional fields may be missing, dates in any .NET precision, enum
/// values the client does not know kept as text, numbers sent as strings accepted.
/// Encoding always uses the API's field names (`userId`, `login`, …) and omits absent fields.
public struct User: Hashable, Sendable, Codable, Identifiable {
    public var userId: Int
    public var login: String
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var networkId: Int?
    public var mailboxId: Int?
    public var authLevel: AuthLevel?
    public var status: UserStatus?
    public var created: ECGridDate?
    public var company: String?
    public var phone: String?
    public var lastLogin: ECGridDate?
    /// Count of live bearer sessions, when the server reports it.
    public var openSessions: Int?
    public var lockoutStatus: Bool?
    /// Session time-out in seconds.
    public var timeOut: Int?
    public var modified: ECGridDate?

    public var id: Int { userId }

    /// `network/mailbox`, with `-` for what is unknown.
    public var place: String { "\(networkId.map(String.init) ?? "-")/\(mailboxId.map(String.init) ?? "-")" }

    /// "First Last", or the login when the server sent no name.
    public var displayName: String {
        let name = [firstName, lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return name.isEmpty ? login : name
    }

    public init(
        userId: Int, login: String, email: String? = nil, firstName: String? = nil, lastName: String? = nil,
        networkId: Int? = nil, mailboxId: Int? = nil, authLevel: AuthLevel? = nil, status: UserStatus? = nil,
        created: ECGridDate? = nil, company: String? = nil, phone: String? = nil, lastLogin: ECGridDate? = nil,
        openSessions: Int? = nil, lockoutStatus: Bool? = nil, timeOut: Int? = nil, modified: ECGridDate? = nil
    ) {
        self.userId = userId
        self.login = login
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.networkId = networkId
        self.mailboxId = mailboxId
        self.authLevel = authLevel
        self.status = status
        self.created = created
        self.company = company
        self.phone = phone
        self.lastLogin = lastLogin
        self.openSessions = openSessions
        self.lockoutStatus = lockoutStatus
        self.timeOut = timeOut
        self.modified = modified
    }

    enum CodingKeys: String, CodingKey, UserIdentityKey {
        case userId, login, loginName, email, firstName, lastName, networkId, mailboxId, authLevel, status
        case created, company, phone, lastLogin, openSessions, lockoutStatus, timeOut, modified
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let identity = try c.userIdentity(of: "user record")
        userId = identity.userId
        login = identity.login
        email = c.lenientString(.email)
        firstName = c.lenientString(.firstName)
        lastName = c.lenientString(.lastName)
        networkId = c.lenientInt(.networkId)
        mailboxId = c.lenientInt(.mailboxId)
        authLevel = try? c.decodeIfPresent(AuthLevel.self, forKey: .authLevel)
        status = try? c.decodeIfPresent(UserStatus.self, forKey: .status)
        created = try? c.decodeIfPresent(ECGridDate.self, forKey: .created)
        company = c.lenientString(.company)
        phone = c.lenientString(.phone)
        lastLogin = try? c.decodeIfPresent(ECGridDate.self, forKey: .lastLogin)
        openSessions = c.lenientInt(.openSessions)
        lockoutStatus = try? c.decodeIfPresent(Bool.self, forKey: .lockoutStatus)
        timeOut = c.lenientInt(.timeOut)
        modified = try? c.decodeIfPresent(ECGridDate.self, forKey: .modified)
    }

    /// Which name the login field goes out under.
    public enum LoginField: Sendable { case login, loginName }

    public func encode(to encoder: any Encoder) throws {
        try encode(to: encoder, loginField: .login)
    }

    /// Encodes with the login under `loginField` (the sandbox uses `loginName` for some records,
    /// as some ECGrid pages do).
    public func encode(to encoder: any Encoder, loginField: LoginField) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(userId, forKey: .userId)
        try c.encode(login, forKey: loginField == .login ? .login : .loginName)
        try c.encodeIfPresent(email, forKey: .email)
        try c.encodeIfPresent(firstName, forKey: .firstName)
        try c.encodeIfPresent(lastName, forKey: .lastName)
        try c.encodeIfPresent(networkId, forKey: .networkId)
        try c.encodeIfPresent(mailboxId, forKey: .mailboxId)
        try c.encodeIfPresent(authLevel, forKey: .authLevel)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encodeIfPresent(created, forKey: .created)
        try c.encodeIfPresent(company, forKey: .company)
        try c.encodeIfPresent(phone, forKey: .phone)
        try c.encodeIfPresent(lastLogin, forKey: .lastLogin)
        try c.encodeIfPresent(openSessions, forKey: .openSessions)
        try c.encodeIfPresent(lockoutStatus, forKey: .lockoutStatus)
        try c.encodeIfPresent(timeOut, forKey: .timeOut)
        try c.encodeIfPresent(modified, forKey: .modified)
    }
}

/// Who a record names, read the one way every reader of a user does (`User` and `SessionInfo`
/// through `Decodable`, and the fast page parser): without a `userId` there is no record; the
/// login is `login`, else `loginName` (ECGrid's pages use both), else empty.
struct UserIdentity {
    var userId: Int
    var login: String

    /// Nil without a user ID.
    init?(userId: Int?, login: String?, loginName: String?) {
        guard let userId else { return nil }
        self.userId = userId
        self.login = login ?? loginName ?? ""
    }
}

/// The coding keys of a record that names a user, for `userIdentity(of:)`.
protocol UserIdentityKey: CodingKey {
    static var userId: Self { get }
    static var login: Self { get }
    static var loginName: Self { get }
}

extension KeyedDecodingContainer where Key: UserIdentityKey {
    /// The record's `UserIdentity`, its values read leniently (numbers as strings, strings as
    /// numbers); throws `keyNotFound(userId)` when it has none (`what` names the record).
    func userIdentity(of what: String) throws -> UserIdentity {
        let identity = UserIdentity(userId: lenientInt(.userId), login: lenientString(.login), loginName: lenientString(.loginName))
        guard let identity else {
            throw DecodingError.keyNotFound(Key.userId, .init(codingPath: codingPath, debugDescription: "\(what) without a userId"))
        }
        return identity
    }
}

extension KeyedDecodingContainer {
    /// An integer sent as a number or as a numeric string; nil when absent, null or unreadable.
    func lenientInt(_ key: Key) -> Int? {
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value }
        if let text = try? decodeIfPresent(String.self, forKey: key) {
            return Int(text.trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// A string; numbers are accepted and written out; nil when absent, null or unreadable.
    func lenientString(_ key: Key) -> String? {
        if let value = try? decodeIfPresent(String.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return String(value) }
        return nil
    }
}
