/// The body of `POST /v2/auth/login`.
public struct LoginRequest: Codable, Sendable {
    public var login: String
    public var password: String
    public init(login: String, password: String) {
        self.login = login
        self.password = password
    }
}

/// What login and refresh return: a bearer token and when it expires.
public struct TokenInfo: Codable, Sendable, Equatable {
    public var token: String
    public var expiresAt: ECGridDate?
    public var userId: Int?

    public init(token: String, expiresAt: ECGridDate?, userId: Int?) {
        self.token = token
        self.expiresAt = expiresAt
        self.userId = userId
    }
}

/// What `POST /v2/auth/session` returns: the context of the current credential.
public struct SessionInfo: Codable, Sendable, Equatable {
    public var userId: Int
    public var login: String
    public var networkId: Int?
    public var mailboxId: Int?
    public var authLevel: AuthLevel?
    public var expiresAt: ECGridDate?

    public init(
        userId: Int, login: String, networkId: Int?, mailboxId: Int?, authLevel: AuthLevel?, expiresAt: ECGridDate?
    ) {
        self.userId = userId
        self.login = login
        self.networkId = networkId
        self.mailboxId = mailboxId
        self.authLevel = authLevel
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey, UserIdentityKey {
        case userId, login, loginName, networkId, mailboxId, authLevel, expiresAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let identity = try c.userIdentity(of: "session")
        userId = identity.userId
        login = identity.login
        networkId = c.lenientInt(.networkId)
        mailboxId = c.lenientInt(.mailboxId)
        authLevel = try? c.decodeIfPresent(AuthLevel.self, forKey: .authLevel)
        expiresAt = try? c.decodeIfPresent(ECGridDate.self, forKey: .expiresAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(userId, forKey: .userId)
        try c.encode(login, forKey: .login)
        try c.encodeIfPresent(networkId, forKey: .networkId)
        try c.encodeIfPresent(mailboxId, forKey: .mailboxId)
        try c.encodeIfPresent(authLevel, forKey: .authLevel)
        try c.encodeIfPresent(expiresAt, forKey: .expiresAt)
    }
}

/// Filters and paging for `POST /v2/users/list`.
public struct UserListQuery: Codable, Sendable, Equatable {
    public var networkId: Int?
    public var mailboxId: Int?
    public var authLevel: AuthLevel?
    public var status: UserStatus?
    public var pageNo: Int
    public var recordsPerPage: Int

    public init(
        networkId: Int? = nil, mailboxId: Int? = nil, authLevel: AuthLevel? = nil, status: UserStatus? = nil,
        pageNo: Int = 1, recordsPerPage: Int = 25
    ) {
        self.networkId = networkId
        self.mailboxId = mailboxId
        self.authLevel = authLevel
        self.status = status
        self.pageNo = pageNo
        self.recordsPerPage = recordsPerPage
    }
}

/// The body of `POST /v2/users/by-name`.
public struct ByNameRequest: Codable, Sendable {
    public var login: String
    public init(login: String) { self.login = login }
}

/// The body of `POST /v2/auth/refresh`.
public struct RefreshRequest: Codable, Sendable {
    public var token: String
    public init(token: String) { self.token = token }
}

/// The body of `POST /v2/users/generate-password`.
public struct GeneratePasswordRequest: Codable, Sendable {
    public var length: Int?
    public init(length: Int?) { self.length = length }
}

/// The body of `POST /v2/users/password`: an administrator sets a user's password. It holds
/// the new password, so it is only ever encoded onto the wire.
struct SetPasswordRequest: Encodable, Sendable {
    var userId: Int
    var newPassword: String
}

/// The body of `POST /v2/keys/list`.
public struct KeyListRequest: Codable, Sendable {
    public var userId: Int
    public var visibility: KeyVisibility?
    public init(userId: Int, visibility: KeyVisibility? = nil) {
        self.userId = userId
        self.visibility = visibility
    }
}

/// The body of `DELETE /v2/keys`: a JSON body on a DELETE, as the API documents it.
public struct DeleteKeyRequest: Codable, Sendable {
    public var keyId: Int
    public init(keyId: Int) { self.keyId = keyId }
}

/// The body of `POST /v2/users/send-sms`.
public struct SendSMSRequest: Codable, Sendable {
    public var userId: Int
    public var message: String
    public init(userId: Int, message: String) {
        self.userId = userId
        self.message = message
    }
}
