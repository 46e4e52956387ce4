import ECGridKit
import Foundation

/// A request as the sandbox's API logic sees it, independent of the HTTP server.
public struct SandboxRequest: Sendable {
    public var method: String
    public var path: String
    /// Header values by lower-cased name.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, headers: [String: String], body: [UInt8]) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

/// An answer from the sandbox's API logic.
public struct SandboxReply: Sendable {
    public var status: Int
    public var body: [UInt8]

    /// A success envelope around `data`.
    static func ok(_ data: some Encodable, message: String = "") -> SandboxReply {
        SandboxReply(status: 200, body: encode(OutEnvelope(success: true, data: data, errorCode: "", message: message)))
    }

    /// An error envelope.
    static func fail(_ status: Int, _ code: String, _ message: String) -> SandboxReply {
        SandboxReply(
            status: status, body: encode(OutEnvelope<Bool?>(success: false, data: nil, errorCode: code, message: message)),
        )
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array(#"{"success":false,"data":null}"#.utf8)
    }
}

/// The envelope as the sandbox writes it.
struct OutEnvelope<Payload: Encodable>: Encodable {
    var success: Bool
    var data: Payload
    var errorCode: String
    var message: String

    enum CodingKeys: String, CodingKey { case success, data, errorCode, message }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(success, forKey: .success)
        try c.encode(data, forKey: .data)
        try c.encode(errorCode, forKey: .errorCode)
        try c.encode(message, forKey: .message)
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
