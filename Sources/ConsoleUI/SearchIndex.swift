#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `/` searches, for every loaded user: ID, login, name and email, lowercased, as UTF-8
/// bytes in one contiguous buffer. A keystroke over 100,000 users is then a byte search
/// (`memchr` for the first byte, `memcmp` for the rest) per user over memory read in order,
/// and the keys cost their bytes, not an array each.
struct SearchIndex: Sendable {
    private var keys = ByteRuns()

    var count: Int { keys.count }

    /// The key of one user.
    static func key(_ user: ListedUser) -> [UInt8] {
        Array([String(user.userId), user.login, user.displayName, user.email ?? ""].joined(separator: "\u{1F}").lowercased().utf8)
    }

    /// The needle as the keys compare it.
    static func needle(_ filter: String) -> [UInt8] { Array(filter.lowercased().utf8) }

    mutating func append(_ user: ListedUser) { keys.append(Self.key(user)) }

    /// Replaces the key of the user at `position` (its record changed).
    mutating func replace(at position: Int, with user: ListedUser) { keys.replace(at: position, with: Self.key(user)) }

    mutating func removeAll() { keys.removeAll() }

    /// True when the key of the user at `position` contains `needle`.
    func contains(_ position: Int, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        return keys.withRun(position) { key in
            guard needle.count <= key.count, let start = key.baseAddress else { return false }
            return needle.withUnsafeBytes { part in
                guard let wanted = part.baseAddress else { return false }
                let first = Int32(part[0])
                let last = key.count - part.count
                var from = 0
                while from <= last {
                    guard let hit = memchr(start + from, first, last - from + 1) else { return false }
                    let at = start.distance(to: UnsafeRawPointer(hit))
                    if memcmp(start + at, wanted, part.count) == 0 { return true }
                    from = at + 1
                }
                return false
            }
        }
    }
}
