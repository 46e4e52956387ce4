/// What the response pane shows during and after an action.
package struct ResponseView: Sendable, Equatable {
    package var title: String
    package var lines: [StyledLine]
    /// True while the action runs: retries are added as they happen.
    package var inFlight = false
    /// The users the action was about: the pane shows no other user's record beside it.
    package var userIds: [Int]

    package init(title: String, lines: [StyledLine], inFlight: Bool = false, userIds: [Int] = []) {
        self.title = title
        self.lines = lines
        self.inFlight = inFlight
        self.userIds = userIds
    }
}

/// A line of text with one style.
package struct StyledLine: Sendable, Equatable {
    package var text: String
    package var style: Style

    package init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}
