/// A rectangle of cells.
public struct Rect: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
}

/// Where each part of the screen goes at a given size.
public struct Layout: Sendable, Equatable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public var header: Rect
    public var users: Rect
    public var detail: Rect
    public var history: Rect
    public var hints: Rect

    public init(width: Int, height: Int) {
        let body = max(0, height - 3)
        let usersHeight = max(6, body * 11 / 20)
        let bottomHeight = max(0, body - usersHeight)
        let detailWidth = width * 3 / 5
        header = Rect(x: 0, y: 0, width: width, height: 2)
        users = Rect(x: 0, y: 2, width: width, height: usersHeight)
        detail = Rect(x: 0, y: 2 + usersHeight, width: detailWidth, height: bottomHeight)
        history = Rect(x: detailWidth, y: 2 + usersHeight, width: width - detailWidth, height: bottomHeight)
        hints = Rect(x: 0, y: height - 1, width: width, height: 1)
    }

    /// True when the terminal is large enough for the console.
    public static func fits(width: Int, height: Int) -> Bool { width >= minimumWidth && height >= minimumHeight }
}
