/// The lifecycle status of an ECGrid user. Unknown values are kept, never an error.
public struct UserStatus: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let development = UserStatus(rawValue: "Development")
    public static let active = UserStatus(rawValue: "Active")
    public static let preproduction = UserStatus(rawValue: "Preproduction")
    public static let suspended = UserStatus(rawValue: "Suspended")
    public static let terminated = UserStatus(rawValue: "Terminated")

    /// The documented statuses.
    public static let all: [UserStatus] = [.development, .active, .preproduction, .suspended, .terminated]

    public var isKnown: Bool { Self.all.contains(self) }

    /// Parses a status case-insensitively; unknown text is kept.
    public static func parse(_ text: String) -> UserStatus {
        let lowered = text.lowercased()
        return all.first { $0.rawValue.lowercased() == lowered } ?? UserStatus(rawValue: text)
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.init(rawValue: text)
        } else {
            let ordinal = try container.decode(Int.self)
            self = Self.all.indices.contains(ordinal) ? Self.all[ordinal] : UserStatus(rawValue: String(ordinal))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
