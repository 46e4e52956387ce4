/// An ECGrid authorisation level. Values the client does not know are kept as they came,
/// so a server that adds a level never breaks decoding.
public struct AuthLevel: OpenNameSet {
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

    /// The documented levels, highest first (see `ordered`).
    public static var documented: [AuthLevel] { ordered }
    /// `NoChange` is known too (it means something in update requests).
    public static var alsoKnown: [AuthLevel] { [.noChange] }
}
