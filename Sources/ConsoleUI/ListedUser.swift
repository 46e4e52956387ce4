import ECGridKit

/// A user as the list shows it: only what the users pane shows and `/` searches. `UserTable`
/// keeps these packed and makes them on demand; the full record is always read from the server
/// when it matters (Enter, the confirmation dialog).
package struct ListedUser: Sendable, Equatable, Identifiable {
    package let userId: Int
    package let login: String
    /// "First Last", or the login when the server sent no name.
    package let displayName: String
    package let email: String?
    package let authLevel: AuthLevel?
    package let status: UserStatus?
    // Numbers that fit 32 bits are kept in 32 bits; `Int32.min` stands for "not sent".
    let network: Int32
    let mailbox: Int32
    let sessions: Int32

    package init(_ user: User) {
        self.init(
            userId: user.userId, login: user.login, displayName: user.displayName, email: user.email,
            authLevel: user.authLevel, status: user.status, network: Self.pack(user.networkId),
            mailbox: Self.pack(user.mailboxId), sessions: Self.pack(user.openSessions))
    }

    init(
        userId: Int, login: String, displayName: String, email: String?, authLevel: AuthLevel?, status: UserStatus?,
        network: Int32, mailbox: Int32, sessions: Int32
    ) {
        self.userId = userId
        self.login = login
        self.displayName = displayName
        self.email = email
        self.authLevel = authLevel
        self.status = status
        self.network = network
        self.mailbox = mailbox
        self.sessions = sessions
    }

    package var id: Int { userId }
    package var networkId: Int? { Self.unpack(network) }
    package var mailboxId: Int? { Self.unpack(mailbox) }
    /// Count of live bearer sessions, when the server reports it.
    package var openSessions: Int? { Self.unpack(sessions) }

    /// `network/mailbox`, with `-` for what is unknown.
    package var place: String { "\(networkId.map(String.init) ?? "-")/\(mailboxId.map(String.init) ?? "-")" }

    /// The record as a `User`, with the fields the list keeps.
    package var user: User {
        User(userId: userId, login: login, email: email, firstName: displayName == login ? nil : displayName,
             networkId: networkId, mailboxId: mailboxId, authLevel: authLevel, status: status, openSessions: openSessions)
    }

    static func pack(_ value: Int?) -> Int32 {
        guard let value, let small = Int32(exactly: value), small != .min else { return .min }
        return small
    }

    static func unpack(_ value: Int32) -> Int? { value == .min ? nil : Int(value) }
}
