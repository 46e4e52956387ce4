import ECGridKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `/` searches in one user: ID, login, name and email, lowercased, as UTF-8 bytes, so a
/// keystroke over 100,000 users is a byte search (`memchr` for the first byte, `memcmp` for the
/// rest) per user rather than a Unicode-aware `String.contains`.
struct SearchKey: Sendable {
    let bytes: [UInt8]

    init(_ user: User) {
        let text = [String(user.userId), user.login, user.displayName, user.email ?? ""]
            .joined(separator: "\u{1F}").lowercased()
        bytes = Array(text.utf8)
    }

    /// The needle as this key compares it.
    static func needle(_ filter: String) -> [UInt8] { Array(filter.lowercased().utf8) }

    func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= bytes.count else { return false }
        return bytes.withUnsafeBytes { key in
            needle.withUnsafeBytes { part in
                guard let start = key.baseAddress, let wanted = part.baseAddress else { return false }
                let first = Int32(part[0])
                let last = key.count - part.count
                var offset = 0
                while offset <= last {
                    guard let hit = memchr(start + offset, first, last - offset + 1) else { return false }
                    let at = start.distance(to: UnsafeRawPointer(hit))
                    if memcmp(start + at, wanted, part.count) == 0 { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }
}
