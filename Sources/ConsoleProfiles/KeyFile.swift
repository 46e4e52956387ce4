import ECGridKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads an API key from a profile's key file, refusing a file others could read.
package enum KeyFile {
    /// The key in `path`, trimmed. Refused when the file is missing, empty, not a regular
    /// file, or readable or writable by anyone but its owner.
    package static func read(_ path: String) throws(ConfigError) -> Secret {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ConfigError(path: path, message: "the key file does not exist or cannot be reached")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ConfigError(path: path, message: "the key file is not a regular file")
        }
        let loose = info.st_mode & 0o077
        guard loose == 0 else {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw ConfigError(
                path: path,
                message: "the key file has mode \(mode): others than its owner can read or change it, so it is refused. "
                    + "Run: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(path: path, message: "the key file cannot be read (check its owner)")
        }
        let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw ConfigError(path: path, message: "the key file is empty") }
        guard !key.contains(where: \.isNewline) else {
            throw ConfigError(path: path, message: "the key file must hold the key alone, on one line")
        }
        return Secret(key)
    }
}
