/// The lifecycle status of an ECGrid user. Unknown values are kept, never an error.
public struct UserStatus: OpenNameSet {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let development = UserStatus(rawValue: "Development")
    public static let active = UserStatus(rawValue: "Active")
    public static let preproduction = UserStatus(rawValue: "Preproduction")
    public static let suspended = UserStatus(rawValue: "Suspended")
    public static let terminated = UserStatus(rawValue: "Terminated")

    /// The documented statuses.
    public static let all: [UserStatus] = [.development, .active, .preproduction, .suspended, .terminated]

    /// The documented statuses (see `all`).
    public static var documented: [UserStatus] { all }
}
