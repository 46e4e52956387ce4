import ECGridKit

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
    private var bytes: [UInt8] = []
    /// Where each user's key starts in `bytes` and how long it is, by position in the list.
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    /// Bytes of keys that were replaced and are no longer used.
    private var garbage = 0

    var count: Int { starts.count }

    /// The key of one user.
    static func key(_ user: ListedUser) -> [UInt8] {
        Array([String(user.userId), user.login, user.displayName, user.email ?? ""].joined(separator: "\u{1F}").lowercased().utf8)
    }

    /// The needle as the keys compare it.
    static func needle(_ filter: String) -> [UInt8] { Array(filter.lowercased().utf8) }

    mutating func append(_ user: ListedUser) {
        let key = Self.key(user)
        starts.append(Int32(bytes.count))
        lengths.append(Int32(key.count))
        bytes.append(contentsOf: key)
    }

    /// Replaces the key of the user at `position` (its record changed).
    mutating func replace(at position: Int, with user: ListedUser) {
        let key = Self.key(user)
        let start = Int(starts[position])
        let length = Int(lengths[position])
        if key.count == length {
            bytes.replaceSubrange(start..<(start + length), with: key)
            return
        }
        garbage += length
        starts[position] = Int32(bytes.count)
        lengths[position] = Int32(key.count)
        bytes.append(contentsOf: key)
        if garbage > bytes.count / 2 { compact() }
    }

    mutating func removeAll() {
        bytes = []
        starts = []
        lengths = []
        garbage = 0
    }

    /// Rewrites the buffer without the keys that were replaced.
    private mutating func compact() {
        var fresh: [UInt8] = []
        fresh.reserveCapacity(bytes.count - garbage)
        for position in starts.indices {
            let start = Int(starts[position])
            starts[position] = Int32(fresh.count)
            fresh.append(contentsOf: bytes[start..<(start + Int(lengths[position]))])
        }
        bytes = fresh
        garbage = 0
    }

    /// True when the key of the user at `position` contains `needle`.
    func contains(_ position: Int, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        let length = Int(lengths[position])
        guard needle.count <= length else { return false }
        let offset = Int(starts[position])
        return bytes.withUnsafeBytes { all in
            needle.withUnsafeBytes { part in
                guard let base = all.baseAddress, let wanted = part.baseAddress else { return false }
                let start = base + offset
                let first = Int32(part[0])
                let last = length - part.count
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
