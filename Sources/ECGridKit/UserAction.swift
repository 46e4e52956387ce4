/// A state-changing action on one user: the session reset this tool exists for, and the two
/// escalations ECGrid's reset page points to when a reset is not enough.
public enum UserAction: String, Sendable, Codable, CaseIterable {
    /// `POST /v2/users/reset/{id}`: every bearer session is revoked; API keys keep working.
    case resetSessions = "reset-sessions"
    /// `POST /v2/users/key-generate/{id}`: a new API key; the old one stops working at once.
    case rotateKey = "generate-api-key"
    /// `DELETE /v2/users/{id}`: the account is terminated for good, sessions and keys with it.
    case terminate = "terminate-user"

    /// The name the history records (`action` field).
    public var historyName: String { rawValue }

    /// A short word for tables and the history pane.
    public var verb: String {
        switch self {
        case .resetSessions: "reset"
        case .rotateKey: "rotate-key"
        case .terminate: "terminate"
        }
    }

    /// A title for dialogs and the response pane.
    public var title: String {
        switch self {
        case .resetSessions: "Reset sessions"
        case .rotateKey: "Generate a new API key"
        case .terminate: "Terminate user"
        }
    }

    /// The request line, for example `POST /v2/users/reset/42`.
    public func request(userId: Int) -> String {
        switch self {
        case .resetSessions: "POST /v2/users/reset/\(userId)"
        case .rotateKey: "POST /v2/users/key-generate/\(userId)"
        case .terminate: "DELETE /v2/users/\(userId)"
        }
    }

    /// The action for a history `action` name (nil for one this version does not know).
    public init?(historyName: String) { self.init(rawValue: historyName) }
}
