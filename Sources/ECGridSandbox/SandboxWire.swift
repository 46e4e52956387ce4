import ECGridKit
import Foundation
import HTTPTypes

/// The credential a request carries, read from its headers: what the store authenticates.
enum SandboxCredential: Sendable {
    case bearer(String)
    case apiKey(String)
    /// An `Authorization` header that is not `Bearer <token>`.
    case malformedAuthorization
    case none

    init(_ headers: HTTPFields) {
        if let header = headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            self = parts.count == 2 && parts[0].lowercased() == "bearer" ? .bearer(String(parts[1])) : .malformedAuthorization
        } else if let name = HTTPField.Name("x-api-key"), let key = headers[name], !key.isEmpty {
            self = .apiKey(key)
        } else {
            self = .none
        }
    }
}

/// A user record on the wire, with the quirks some ECGrid pages show.
struct WireUser: Encodable {
    var user: User
    var quirky: Bool

    struct ExtraKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        try user.encode(to: encoder, loginField: quirky ? .loginName : .login)
        if quirky {
            var extra = encoder.container(keyedBy: ExtraKey.self)
            try extra.encode("fields the client does not know must be ignored", forKey: ExtraKey(stringValue: "sandboxNote"))
            try extra.encode(["theme": "dark"], forKey: ExtraKey(stringValue: "portalSettings"))
        }
    }
}

/// The body of `POST /v2/users/list` as the sandbox reads it (every field optional).
struct ListBody: Decodable {
    var networkId: Int?
    var mailboxId: Int?
    var authLevel: String?
    var status: String?
    var pageNo: Int?
    var recordsPerPage: Int?
}

struct LoginBody: Decodable {
    var login: String?
    var loginName: String?
    var password: String?
}

struct TokenBody: Decodable { var token: String? }
struct ByNameBody: Decodable {
    var login: String?
    var loginName: String?
}
struct RoleBody: Decodable {
    var userId: Int
    var authLevel: String
    var networkId: Int?
    var mailboxId: Int?
}

struct OwnPasswordBody: Decodable {
    var currentPassword: String
    var newPassword: String
}
struct GeneratePasswordBody: Decodable { var length: Int? }
struct PasswordBody: Decodable {
    var userId: Int
    var newPassword: String
}
/// `keys/list` (visibility optional), `keys/get-key` (no visibility) and `keys/create`
/// (visibility required).
struct KeysBody: Decodable {
    var userId: Int
    var visibility: String?
}
struct KeyIDBody: Decodable { var keyId: Int }
struct SMSBody: Decodable {
    var userId: Int
    var message: String
}

struct TokenOut: Encodable {
    var token: String
    var expiresAt: String
    var userId: Int
}

struct SessionOut: Encodable {
    var userId: Int
    var login: String
    var networkId: Int?
    var mailboxId: Int?
    var authLevel: String?
    var expiresAt: String?
}
