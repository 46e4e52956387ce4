/// What the response pane shows during and after an action.
public struct ResponseView: Sendable, Equatable {
    public var title: String
    public var lines: [StyledLine]
    /// True while the action runs: retries are added as they happen.
    public var inFlight = false
    /// The users the action was about: the pane shows no other user's record beside it.
    public var userIds: [Int]

    public init(title: String, lines: [StyledLine], inFlight: Bool = false, userIds: [Int] = []) {
        self.title = title
        self.lines = lines
        self.inFlight = inFlight
        self.userIds = userIds
    }
}

/// A line of text with one style.
public struct StyledLine: Sendable, Equatable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}
