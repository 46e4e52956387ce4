import ECGridKit
import Foundation
import NIOSSL

/// Where the system's trusted roots are read from.
///
/// NIOSSL's default on Linux hands the TLS library the one-file bundle
/// (`/etc/ssl/certs/ca-certificates.crt`) and the library parses every certificate in it (about
/// 140) before the first handshake: most of a one-reset run. The same roots sit in
/// `/etc/ssl/certs` as hashed links (`<hash>.0`, made by `update-ca-certificates`, as curl and
/// OpenSSL use them), which the library reads lazily: only the root a server's chain names is
/// loaded. The trust is the same; only when it is read changes. Without hashed links the
/// default bundle is used, as before.
enum SystemTrust {
    /// The roots to verify against: the hashed directory when there is one, else the default.
    static let roots: NIOSSLTrustRoots = hashedDirectory(SystemTrust.directory).map { .file($0) } ?? .default

    /// Debian's (and most distributions') directory of trusted roots.
    static let directory = "/etc/ssl/certs"

    /// `path` when it is a directory holding at least one hashed link (`8 hex digits . digit`).
    static func hashedDirectory(_ path: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
        return names.contains(where: isHashedName) ? path : nil
    }

    /// True for `002c0b4f.0`: the names OpenSSL's `c_rehash` gives the links to roots.
    static func isHashedName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 8, !parts[1].isEmpty else { return false }
        return parts[0].allSatisfy(\.isHexDigit) && parts[1].allSatisfy(\.isNumber)
    }
}
