import ECGridKit

/// The one showing of a newly generated API key. Only a deliberate Enter or Esc closes it
/// (its binding table has no other key); the key is forgotten with it.
package struct NewKey: Sendable, Equatable {
    /// The user whose key it is.
    package var userId: Int
    /// That user's login, as re-read before the rotation.
    package var login: String
    /// The key itself: shown once, recorded nowhere.
    package var key: Secret

    package init(userId: Int, login: String, key: Secret) {
        self.userId = userId
        self.login = login
        self.key = key
    }

    /// The dialog's title and lines.
    func content(_ glyphs: Glyphs) -> (title: String, lines: [StyledLine]) {
        ("New API key \(glyphs.dot) \(userId) \(login)", [
            StyledLine("The user's old key no longer works. This is the new one, shown this once and recorded nowhere:"),
            StyledLine(""),
            StyledLine("  " + key.revealed, .bold),
            StyledLine(""),
            StyledLine("Hand it over by a safe channel. Enter or Esc closes this and forgets the key.", .warning),
        ])
    }
}
