/// An ECGrid authorisation level. Values the client does not know are kept as they came,
/// so a server that adds a level never breaks decoding.
public struct AuthLevel: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let root = AuthLevel(rawValue: "Root")
    public static let techOps = AuthLevel(rawValue: "TechOps")
    public static let netOps = AuthLevel(rawValue: "NetOps")
    public static let networkAdmin = AuthLevel(rawValue: "NetworkAdmin")
    public static let networkUser = AuthLevel(rawValue: "NetworkUser")
    public static let mailboxAdmin = AuthLevel(rawValue: "MailboxAdmin")
    public static let mailboxUser = AuthLevel(rawValue: "MailboxUser")
    public static let tpUser = AuthLevel(rawValue: "TPUser")
    public static let general = AuthLevel(rawValue: "General")
    /// Only meaningful in update requests.
    public static let noChange = AuthLevel(rawValue: "NoChange")

    /// The documented levels, highest first.
    public static let ordered: [AuthLevel] = [
        .root, .techOps, .netOps, .networkAdmin, .networkUser, .mailboxAdmin, .mailboxUser, .tpUser, .general,
    ]

    /// Position in `ordered` (0 is the highest), or nil for a level the client does not know.
    public var rank: Int? { Self.ordered.firstIndex(of: self) }

    /// True when this level is known and at least as high as `other`.
    public func isAtLeast(_ other: AuthLevel) -> Bool {
        guard let mine = rank, let theirs = other.rank else { return false }
        return mine <= theirs
    }

    /// Parses a level case-insensitively (`networkadmin` → `NetworkAdmin`); unknown text is kept.
    public static func parse(_ text: String) -> AuthLevel {
        let lowered = text.lowercased()
        return (ordered + [.noChange]).first { $0.rawValue.lowercased() == lowered } ?? AuthLevel(rawValue: text)
    }

    public var isKnown: Bool { rank != nil || self == .noChange }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.init(rawValue: text)
        } else {
            // Some .NET serialisers emit enums as their ordinal.
            let ordinal = try container.decode(Int.self)
            self = Self.ordered.indices.contains(ordinal) ? Self.ordered[ordinal] : AuthLevel(rawValue: String(ordinal))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
