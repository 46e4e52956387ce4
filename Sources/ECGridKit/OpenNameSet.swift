/// A value with documented names that keeps any other name as it came (`AuthLevel`,
/// `UserStatus`): a server that adds one never breaks decoding. Decoded from its name or, as
/// some .NET serialisers send enums, its ordinal in `documented`; encoded as its name.
public protocol OpenNameSet: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible where RawValue == String {
    init(rawValue: String)
    /// The documented values, in the API's order (their ordinals).
    static var documented: [Self] { get }
    /// The names `parse` matches besides the documented ones.
    static var alsoKnown: [Self] { get }
}

extension OpenNameSet {
    /// None by default.
    public static var alsoKnown: [Self] { [] }

    public var description: String { rawValue }

    /// True for a documented value (or one of `alsoKnown`).
    public var isKnown: Bool { (Self.documented + Self.alsoKnown).contains(self) }

    /// Parses a name case-insensitively (`networkadmin` → `NetworkAdmin`); unknown text is kept.
    public static func parse(_ text: String) -> Self {
        let lowered = text.lowercased()
        return (documented + alsoKnown).first { $0.rawValue.lowercased() == lowered } ?? Self(rawValue: text)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.init(rawValue: text)
        } else {
            let ordinal = try container.decode(Int.self)
            self = Self.documented.indices.contains(ordinal) ? Self.documented[ordinal] : Self(rawValue: String(ordinal))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
