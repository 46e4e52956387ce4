import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Whether the config file can be trusted: whoever can change it can point a profile's
/// `base_url` at a server of theirs (and receive the key) or turn `read_only` off. So the file
/// and its directory must be owned by the user running the console (or root) and writable by
/// no one else, like a key file; otherwise the config is refused with the `chmod` that fixes it.
package enum ConfigTrust {
    /// Throws when `path` or its directory is writable by group or others, or owned by someone
    /// other than this user or root.
    package static func check(_ path: String) throws(ConfigError) {
        try checkOne(path, what: "the config file", path: path)
        let directory = (path as NSString).deletingLastPathComponent
        try checkOne(directory.isEmpty ? "." : directory, what: "its directory", path: path)
    }

    static func checkOne(_ target: String, what: String, path: String) throws(ConfigError) {
        var info = stat()
        guard stat(target, &info) == 0 else { return }
        let owner = info.st_uid
        if owner != geteuid() && owner != 0 {
            throw ConfigError(
                path: path,
                message: "\(what) \(target) belongs to user \(owner), not to you, so it is refused: whoever can change it "
                    + "can send your key elsewhere. Use a config of your own.")
        }
        guard info.st_mode & 0o022 != 0 else { return }
        let mode = String(info.st_mode & 0o7777, radix: 8)
        throw ConfigError(
            path: path,
            message: "\(what) \(target) has mode \(mode): others than its owner can change it (and so point a profile at "
                + "another server, or turn read_only off), so the config is refused. Run: chmod go-w \(target)")
    }
}
