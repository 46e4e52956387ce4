#if canImport(Glibc)
import Glibc
#endif

/// The history could not be written or read. Says which file and why; never holds a record's
/// content.
public struct HistoryError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var reason: String
    /// True when the history was refused as unsafe (a symbolic link, a directory anyone may
    /// write): the command stops before anything is sent (exit status 2).
    public var isRefusal = false

    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    /// An error from the last failed system call.
    static func system(_ path: String, _ operation: String, _ code: Int32 = errno) -> HistoryError {
        HistoryError(path: path, operation: operation, reason: String(cString: strerror(code)))
    }

    public var description: String { "history \(path): could not \(operation): \(reason)" }
}
