/// A state-changing action on one user: the session reset this tool exists for, the two
/// escalations ECGrid's reset page points to when a reset is not enough, and the steps of a
/// containment that are not one of those (a new password, a deleted API key, a notice).
public enum UserAction: String, Sendable, Codable, CaseIterable {
    /// `POST /v2/users/reset/{id}`: every bearer session is revoked; API keys keep working.
    case resetSessions = "reset-sessions"
    /// `POST /v2/users/key-generate/{id}`: a new API key; the old one stops working at once.
    case rotateKey = "generate-api-key"
    /// `DELETE /v2/users/{id}`: the account is terminated for good, sessions and keys with it.
    case terminate = "terminate-user"
    /// `POST /v2/users/password`: a new password; open sessions stay live.
    case setPassword = "set-password"
    /// `DELETE /v2/keys` `{"keyId"}`: one API key stops working at once.
    case deleteKey = "delete-api-key"
    /// `POST /v2/users/send-sms`: a text message to the user's cell number.
    case sendNotice = "send-sms"

    /// The actions an operator starts on their own (`r`, `K`, `T`; `reset`, `rotate-key`,
    /// `terminate`); the others are steps of a containment.
    public static let standalone: [UserAction] = [.resetSessions, .rotateKey, .terminate]

    /// The name the history records (`action` field).
    public var historyName: String { rawValue }

    /// A short word for tables and the history pane.
    public var verb: String {
        switch self {
        case .resetSessions: "reset"
        case .rotateKey: "rotate-key"
        case .terminate: "terminate"
        case .setPassword: "set-password"
        case .deleteKey: "delete-key"
        case .sendNotice: "notify"
        }
    }

    /// A title for dialogs and the response pane.
    public var title: String {
        switch self {
        case .resetSessions: "Reset sessions"
        case .rotateKey: "Generate a new API key"
        case .terminate: "Terminate user"
        case .setPassword: "Set a new password"
        case .deleteKey: "Delete an API key"
        case .sendNotice: "Send an SMS notice"
        }
    }

    /// The request line, for example `POST /v2/users/reset/42`.
    public func request(userId: Int) -> String {
        switch self {
        case .resetSessions: "POST /v2/users/reset/\(userId)"
        case .rotateKey: "POST /v2/users/key-generate/\(userId)"
        case .terminate: "DELETE /v2/users/\(userId)"
        case .setPassword: "POST /v2/users/password"
        case .deleteKey: "DELETE /v2/keys"
        case .sendNotice: "POST /v2/users/send-sms"
        }
    }

    /// How to find out whether this action happened when its answer was lost (the outcome is
    /// unknown): what really tells, never an invitation to send it again blindly.
    public func howToCheck(userId: Int) -> String {
        switch self {
        case .resetSessions:
            "re-read user \(userId) (ecgrid-console users show \(userId)): no open session means the reset went through"
        case .terminate:
            "re-read user \(userId): the status Terminated means it went through"
        case .rotateKey:
            "a re-read cannot show a new key: ask whether user \(userId)'s integrations still authenticate with the old key"
        case .setPassword:
            "a password cannot be read back: 'ecgrid-console contain --resume' sets a new one, of which you get the only copy"
        case .deleteKey:
            "list user \(userId)'s keys again ('ecgrid-console contain --resume' does, and deletes only those still there)"
        case .sendNotice:
            "an SMS cannot be checked from here: ask user \(userId) whether it arrived before sending another"
        }
    }

    /// The action for a history `action` name (nil for one this version does not know).
    public init?(historyName: String) { self.init(rawValue: historyName) }
}

/// One state-changing request as the pipeline sends it: the action and what it carries besides
/// the user (the new password, the key to delete, the notice). The password is a `Secret`
/// and goes nowhere but the request body.
public struct ActionRequest: Sendable, Equatable {
    public var action: UserAction
    /// The password `setPassword` sets.
    public var newPassword: Secret?
    /// The key `deleteKey` deletes.
    public var key: APIKeyRecord?
    /// The text `sendNotice` sends.
    public var notice: String?

    /// A request for `action` with nothing more (the standalone actions need nothing more).
    public init(_ action: UserAction) { self.action = action }

    /// Sets `password` as the user's new password.
    public static func setPassword(_ password: Secret) -> ActionRequest {
        var request = ActionRequest(.setPassword)
        request.newPassword = password
        return request
    }

    /// Deletes `key`.
    public static func deleteKey(_ key: APIKeyRecord) -> ActionRequest {
        var request = ActionRequest(.deleteKey)
        request.key = key
        return request
    }

    /// Sends `text` to the user's cell number.
    public static func sendNotice(_ text: String) -> ActionRequest {
        var request = ActionRequest(.sendNotice)
        request.notice = text
        return request
    }

    /// The request line, as the client labels it (`DELETE /v2/keys`).
    public func line(userId: Int) -> String { action.request(userId: userId) }
}
