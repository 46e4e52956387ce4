import Foundation

/// The one rule for confirming a state-changing action, in the console and on the command
/// line alike: the operator types an expected answer that comes from a successful re-read of
/// the targets, and the answer must not be empty. When it cannot be had, the action is refused
/// with a reason, and nothing is sent.
public enum Confirmation {
    /// What the operator must type, or why the action cannot be confirmed.
    public enum Expected: Sendable, Equatable {
        case answer(String)
        case refused(String)
    }

    /// The expected answer for `action` on `targets` (in order) of which `readable` were
    /// re-read successfully: the login to terminate, else the ID of one user or the number of
    /// users. Refused when no target was re-read, or when the answer would be empty (a login
    /// the server sent empty or undecodable).
    public static func expected(_ action: UserAction, targets: [Int], readable: [User]) -> Expected {
        guard !targets.isEmpty else { return .refused("no user to act on") }
        guard let first = readable.first else {
            return .refused(targets.count == 1
                ? "user \(targets[0]) could not be re-read from the server, so there is nothing to confirm against"
                : "none of the users could be re-read from the server, so there is nothing to confirm against")
        }
        let answer: String
        switch action {
        case .terminate:
            answer = first.login.trimmingCharacters(in: .whitespaces)
            guard !answer.isEmpty else {
                return .refused("user \(first.userId)'s login came back empty from the server, so it cannot be typed to "
                    + "confirm a termination; check the user with the server first")
            }
        case .resetSessions, .rotateKey, .setPassword, .deleteKey, .sendNotice:
            answer = targets.count == 1 ? String(targets[0]) : String(targets.count)
        }
        return .answer(answer)
    }

    /// True only when `typed` is exactly the expected answer and that answer is not empty: what
    /// the screen calls a match is what confirms (a line read at a prompt is trimmed by its reader).
    public static func matches(_ typed: String, _ expected: Expected) -> Bool {
        guard case .answer(let answer) = expected, !answer.isEmpty else { return false }
        return typed == answer
    }
}

/// The reason or ticket an operator gives an action: the same limit in the console and on the
/// command line, kept whole in the history.
public enum ActionReason {
    /// The longest reason taken, in characters.
    public static let maximumLength = 500
}
