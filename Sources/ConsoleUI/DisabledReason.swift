import ECGridKit

/// Why a key of the binding table does nothing right now: a value, so the hint bar and help
/// decide what to show by its kind, and its words are made in one place.
package enum DisabledReason: Sendable, Equatable, CustomStringConvertible {
    /// No user is selected (an empty list or filter): the key is simply not offered.
    case noUserSelected
    /// The session is read-only: the action is off, and the hint bar says so.
    case readOnly(UserAction)
    /// The console runs on an API key: there is no login session to renew.
    case apiKeySession

    package var description: String {
        switch self {
        case .noUserSelected: "no user selected"
        case .readOnly(let action): "read-only session: \(action.disabledInReadOnly)"
        case .apiKeySession: "the console runs on an API key, not a login"
        }
    }

    /// True when the key is left out of the hint bar and help says nothing of it.
    var hidden: Bool { self == .noUserSelected }
}
