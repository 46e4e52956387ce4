import ECGridKit

/// The words the command line shows before a typed confirmation: what is about to happen to
/// whom, what cannot be taken back, the reason, and the question. Text from outside (names,
/// the reason) goes through `safe`, so no field can break a line or forge one.
package enum ConfirmationPrompt {
    /// The head of the prompt: the action and whom it is for; `target`, when given, is shown in
    /// one line (a bulk reset shows its table after the head instead).
    package static func head(
        _ action: UserAction, users count: Int, target: User?, safe: (String) -> String = TerminalText.sanitize
    ) -> String {
        let whom = count == 1 ? "this user" : "these \(count) users"
        var text = "About to \(action.confirmVerb) \(whom):\n"
        if let target {
            text += "  \(target.userId)  \(safe(target.login))  \(safe(target.displayName))  \(target.place)  "
                + "\(target.authLevel?.rawValue ?? "-")  \(target.status?.rawValue ?? "-")\n"
        }
        return text
    }

    /// What the action does that cannot be taken back, before the reason and the question.
    package static func warning(_ action: UserAction) -> String {
        switch action {
        case .resetSessions:
            "Every open bearer (JWT) session is invalidated; they must log in again. API keys keep working.\n"
        case .rotateKey:
            "A new API key is generated; the user's current key STOPS WORKING AT ONCE, for every script\n"
                + "and system that uses it. The new key is shown once, here, and recorded nowhere.\n"
        case .terminate:
            "PERMANENT: the account is terminated and CANNOT BE UNDONE. Every session and API key of the\n"
                + "user stops working at once.\n"
        case .setPassword:
            "A new password is set: the old one no longer logs in. Open sessions stay live until a reset.\n"
        case .deleteKey:
            "The API key is deleted and STOPS WORKING AT ONCE, for every script and system that uses it.\n"
        case .sendNotice:
            "A text message goes to the user's configured cell number.\n"
        }
    }

    /// The reason line, when a reason was given.
    package static func reason(_ reason: String?, safe: (String) -> String = TerminalText.sanitize) -> String {
        reason.map { "Reason: \(safe($0))\n" } ?? ""
    }

    /// The question that asks for `expected` (see `Confirmation.expected`).
    package static func question(
        _ action: UserAction, users count: Int, expected: String, safe: (String) -> String = TerminalText.sanitize
    ) -> String {
        let what = action == .terminate ? "the user's login" : count == 1 ? "the user ID" : "the number of users"
        return "Type \(what) (\(safe(expected))) to confirm, or press Enter to cancel: "
    }
}

extension UserAction {
    /// The verb of a confirmation prompt: `reset the sessions of`, `generate a new API key
    /// for`, `terminate`.
    package var confirmVerb: String {
        switch self {
        case .resetSessions: "reset the sessions of"
        case .rotateKey: "generate a new API key for"
        case .terminate: "terminate"
        case .setPassword: "set a new password for"
        case .deleteKey: "delete an API key of"
        case .sendNotice: "send a text message to"
        }
    }
}
