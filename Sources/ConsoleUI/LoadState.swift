import ECGridKit

/// How loading the users is going.
package enum LoadState: Sendable, Equatable {
    case loading(pages: Int)
    case done
    case stopped
    case failed(Failure)
}

/// A target of the confirmation dialog, as re-read from the server.
package enum TargetRead: Sendable, Equatable {
    case reading
    case read(User)
    case failed(Failure)
}

/// A user's whole record as read from the server (Enter), shown in the detail pane. It stays
/// until another is read, so moving the selection changes nothing there: a move costs the
/// terminal two short runs of cells, not a pane.
package struct RecordView: Sendable, Equatable {
    package var request: Int
    package var userId: Int
    package var read: TargetRead

    package init(request: Int, userId: Int, read: TargetRead) {
        self.request = request
        self.userId = userId
        self.read = read
    }
}
