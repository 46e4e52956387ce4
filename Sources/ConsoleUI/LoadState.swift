import ECGridKit

/// How loading the users is going.
public enum LoadState: Sendable, Equatable {
    case loading(pages: Int)
    case done
    case stopped
    case failed(Failure)
}

/// A target of the confirmation dialog, as re-read from the server.
public enum TargetRead: Sendable, Equatable {
    case reading
    case read(User)
    case failed(Failure)
}

/// A user's whole record as read from the server (Enter), shown in the detail pane. It stays
/// until another is read, so moving the selection changes nothing there: a move costs the
/// terminal two short runs of cells, not a pane.
public struct RecordView: Sendable, Equatable {
    public var request: Int
    public var userId: Int
    public var read: TargetRead

    public init(request: Int, userId: Int, read: TargetRead) {
        self.request = request
        self.userId = userId
        self.read = read
    }
}
