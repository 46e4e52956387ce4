/// Who may use an API key (`KeyVisibility`). Values the client does not know are kept.
public struct KeyVisibility: OpenNameSet {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let `private` = KeyVisibility(rawValue: "Private")
    public static let shared = KeyVisibility(rawValue: "Shared")
    public static let `public` = KeyVisibility(rawValue: "Public")
    public static let session = KeyVisibility(rawValue: "Session")

    /// The documented values, in the API's order.
    public static let documented: [KeyVisibility] = [.private, .shared, .public, .session]
}

/// One of a user's API keys as `POST /v2/keys/list` returns it. The `key` field is the
/// credential itself: it is kept as a `Secret` (which never prints itself) and is never encoded,
/// so no table, `--json`, history record or log line can carry it.
public struct APIKeyRecord: Sendable, Hashable, Codable {
    public var keyId: Int
    public var userId: Int?
    /// The key string: a credential. Never shown, logged or recorded.
    public var key: Secret?
    public var visibility: KeyVisibility?
    public var created: ECGridDate?

    public init(keyId: Int, userId: Int?, key: Secret? = nil, visibility: KeyVisibility? = nil, created: ECGridDate? = nil) {
        self.keyId = keyId
        self.userId = userId
        self.key = key
        self.visibility = visibility
        self.created = created
    }

    enum CodingKeys: String, CodingKey { case keyId, userId, key, visibility, created }

    /// Tolerant, like `User`: numbers sent as strings, unknown fields ignored, a record without
    /// a `keyId` refused (it could not be deleted).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = c.lenientInt(.keyId) else {
            throw DecodingError.keyNotFound(
                CodingKeys.keyId, .init(codingPath: c.codingPath, debugDescription: "key record without a keyId"))
        }
        keyId = id
        userId = c.lenientInt(.userId)
        key = c.lenientString(.key).map(Secret.init)
        visibility = try? c.decodeIfPresent(KeyVisibility.self, forKey: .visibility)
        created = try? c.decodeIfPresent(ECGridDate.self, forKey: .created)
    }

    /// Everything but the key string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(keyId, forKey: .keyId)
        try c.encodeIfPresent(userId, forKey: .userId)
        try c.encodeIfPresent(visibility, forKey: .visibility)
        try c.encodeIfPresent(created, forKey: .created)
    }

    /// `key 7 (Private, created 2026-11-02)`: how a key is named to a person, never by its string.
    public var label: String {
        let details = [visibility?.rawValue, created.map { "created \($0.text.prefix(10))" }].compactMap { $0 }
        return "key \(keyId)" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
    }
}

/// The password policy of `POST /v2/users/password`: a lower-case letter, an upper-case letter,
/// a digit and a character that is none of these; this tool makes them at least 16 long.
public enum PasswordPolicy {
    /// The length of the passwords this tool generates.
    public static let generatedLength = 20
    /// The shortest password this tool sets.
    public static let minimumLength = 16

    /// True when `password` meets the documented policy and this tool's length.
    public static func accepts(_ password: String) -> Bool {
        password.count >= minimumLength
            && password.contains(where: \.isLowercase) && password.contains(where: \.isUppercase)
            && password.contains(where: \.isNumber)
            && password.contains { !($0.isLetter || $0.isNumber) }
    }

    /// Letters and digits that cannot be misread for each other (no 0/O, 1/l/I), and specials
    /// that survive a shell, a ticket and a phone call.
    static let lower = Array("abcdefghijkmnopqrstuvwxyz")
    static let upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
    static let digits = Array("23456789")
    static let specials = Array("!#%+-=?@^_~")

    /// A new password from the system's CSPRNG (`SystemRandomNumberGenerator`: getrandom(2) on
    /// Linux) that meets the policy: one of each class, the rest from all of them, shuffled.
    public static func generate(length: Int = generatedLength) -> Secret {
        var random = SystemRandomNumberGenerator()
        let all = lower + upper + digits + specials
        var characters = [lower, upper, digits, specials].map { $0.randomElement(using: &random) ?? "x" }
        while characters.count < max(length, minimumLength) {
            characters.append(all.randomElement(using: &random) ?? "x")
        }
        characters.shuffle(using: &random)
        return Secret(String(characters))
    }
}
