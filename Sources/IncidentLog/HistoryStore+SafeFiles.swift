import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Opening, creating and replacing the history's files without following links, with modes set
/// at creation, and with the directory flushed after each name it gains or changes.
extension HistoryStore {
    var directoryPath: String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    /// Throws a refusal when the history path is a symbolic link or not a regular file, or
    /// its directory may be written by anyone (others could replace the file or plant a link).
    /// A group-writable directory is fine: that is a team's shared history.
    public func checkSafe() throws {
        var status = stat()
        if lstat(path, &status) == 0 {
            if status.st_mode & S_IFMT == S_IFLNK {
                throw HistoryError.refusal(path, "it is a symbolic link; point ECGRID_CONSOLE_HISTORY at the file itself")
            }
            if status.st_mode & S_IFMT != S_IFREG { throw HistoryError.refusal(path, "it is not a regular file") }
        }
        var directory = stat()
        if stat(directoryPath, &directory) == 0, directory.st_mode & S_IWOTH != 0 {
            throw HistoryError.refusal(path, "its directory \(directoryPath) may be written by anyone (chmod o-w it, or use another)")
        }
    }

    /// True when the directory is setgid: a team's shared history, whose files the group may write.
    var isTeamDirectory: Bool {
        var status = stat()
        return stat(directoryPath, &status) == 0 && status.st_mode & S_ISGID != 0
    }

    /// 0600, or 0660 in a setgid (team) directory.
    var fileMode: mode_t { isTeamDirectory ? 0o660 : 0o600 }

    /// Makes the history's directory when it is missing (0700), so it can be watched before
    /// the first append.
    public func prepareDirectory() throws {
        try checkSafe()
        try makeDirectories()
    }

    /// Creates the missing directories, each 0700 from the start, each flushed into its parent.
    func makeDirectories() throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in directoryPath.split(separator: "/") where component != "." {
            let parent = current.isEmpty ? "/" : current
            current += "/" + component
            if mkdir(current, 0o700) == 0 {
                syncDirectory(parent)
            } else if errno != EEXIST {
                throw HistoryError.system(path, "create its directory \(current)")
            }
        }
    }

    /// Opens the history file for appending, never through a link; a file it creates gets its
    /// mode at once and its name is flushed to disk with the directory.
    func openForAppend() throws -> Int32 {
        try checkSafe()
        try makeDirectories()
        while true {
            let existing = open(path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC)
            if existing >= 0 { return existing }
            if errno == ELOOP { throw HistoryError.refusal(path, "it is a symbolic link; point ECGRID_CONSOLE_HISTORY at the file itself") }
            guard errno == ENOENT else { throw HistoryError.system(path, "open") }
            let mode = fileMode
            let created = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if created >= 0 {
                fchmod(created, mode)
                _ = fsync(created)
                syncDirectory(directoryPath)
                return created
            }
            guard errno == EEXIST else { throw HistoryError.system(path, "create") }
        }
    }

    /// Opens an existing file (`path` or the tip) for reading without following a link; -1 with
    /// `errno` set when it cannot.
    func openForReading(_ file: String) -> Int32 {
        open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    }

    /// Flushes a directory, so names created or renamed in it survive a crash. Best effort: a
    /// file system that cannot flush directories loses nothing more than before.
    func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}

extension HistoryError {
    /// The history path is unsafe to use; nothing may be sent.
    static func refusal(_ path: String, _ reason: String) -> HistoryError {
        var error = HistoryError(path: path, operation: "use it", reason: reason)
        error.isRefusal = true
        return error
    }
}
