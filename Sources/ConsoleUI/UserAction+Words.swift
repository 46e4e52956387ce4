import ECGridKit

/// The console's words for each action: every line the operator reads about an action (its
/// dialog, its notices, why its key is off) is made here from the action, so a terminate never
/// speaks of a reset.
extension UserAction {
    /// The action as a noun: `reset`, `key rotation`, `termination`.
    package var noun: String {
        switch self {
        case .resetSessions: "reset"
        case .rotateKey: "key rotation"
        case .terminate: "termination"
        case .setPassword: "password change"
        case .deleteKey: "key deletion"
        case .sendNotice: "notice"
        }
    }

    /// True for the action that takes the marked users (a bulk reset); the others take the
    /// selected user alone.
    package var takesMarks: Bool { self == .resetSessions }

    /// Said when its dialog is closed with Esc: `Reset cancelled; nothing was sent.`
    package var cancelledNotice: String { "\(noun.prefix(1).uppercased())\(noun.dropFirst()) cancelled; nothing was sent." }

    /// Why its key is off in a read-only session: `resets are disabled`, `termination is disabled`.
    package var disabledInReadOnly: String {
        takesMarks ? "\(noun)s are disabled" : "\(noun) is disabled"
    }

    /// The subject of the header's notices about it: the action, and the user for an action on one.
    func subject(_ userIds: [Int]) -> String {
        takesMarks || userIds.count != 1 ? title : "\(title) for \(userIds[0])"
    }

    /// The header's notice while it runs: `Resetting sessions of 2 user(s)…`, `Terminate user for 40001…`.
    func runningNotice(_ userIds: [Int], glyphs: Glyphs) -> String {
        takesMarks ? "Resetting sessions of \(userIds.count) user(s)\(glyphs.ellipsis)" : "\(subject(userIds))\(glyphs.ellipsis)"
    }

    /// What Enter does once the typed confirmation matches: `resets 2 users`, `replaces the key`.
    func enterDoes(_ count: Int) -> String {
        switch self {
        case .resetSessions: "resets \(count) user\(count == 1 ? "" : "s")"
        case .rotateKey: "replaces the key"
        case .terminate: "terminates the user"
        case .setPassword: "sets the password"
        case .deleteKey: "deletes the key"
        case .sendNotice: "sends the notice"
        }
    }

    /// The request line for several users: `POST /v2/users/reset/{id} for each`.
    func requestForEach() -> String {
        let one = request(userId: 1)
        return String(one.dropLast()) + "{id} for each"
    }

    /// What the confirmation says the action does and does not do.
    func consequences() -> [StyledLine] {
        switch self {
        case .resetSessions:
            [StyledLine("Revokes every open bearer (JWT) session: they must log in again."),
             StyledLine("Does NOT revoke API keys: they keep working.", .warning)]
        case .rotateKey:
            [StyledLine("Generates a new API key. The current key STOPS WORKING AT ONCE, for every script and system using it.",
                        .warning),
             StyledLine("Sessions are not touched. The new key is shown once, in a dialog you must close; it is recorded nowhere.")]
        case .terminate:
            [StyledLine("PERMANENT: terminates the account. This CANNOT BE UNDONE.", .failure),
             StyledLine("Every session and API key of the user stops working at once.")]
        case .setPassword:
            [StyledLine("Sets a new password: the old one no longer logs in."),
             StyledLine("Does NOT end open sessions: a reset must follow.", .warning)]
        case .deleteKey:
            [StyledLine("Deletes the API key: it stops working at once, for every script using it.", .warning)]
        case .sendNotice:
            [StyledLine("Sends a text message to the user's configured cell number.")]
        }
    }
}
