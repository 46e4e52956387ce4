/// A rectangle of cells.
package struct Rect: Sendable, Equatable {
    package var x: Int
    package var y: Int
    package var width: Int
    package var height: Int
}

/// Where each part of the screen goes at a given size.
package struct Layout: Sendable, Equatable {
    package static let minimumWidth = 80
    package static let minimumHeight = 24

    package var header: Rect
    package var users: Rect
    package var detail: Rect
    package var history: Rect
    package var hints: Rect

    package init(width: Int, height: Int) {
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
    package static func fits(width: Int, height: Int) -> Bool { width >= minimumWidth && height >= minimumHeight }
}
