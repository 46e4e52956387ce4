import Foundation

/// A fast reader for the answers that carry many user records (`users/list`, `users/by-name`):
/// one pass over the bytes, straight into `User` values, with the same tolerance as the
/// `Decodable` path (`login` or `loginName`, numbers sent as strings, unknown fields skipped,
/// unreadable optional values dropped).
///
/// It handles the plain shape ECGrid sends and nothing more: anything unusual (a duplicate key,
/// a value of a surprising type, deep nesting, a control character in a string, a number with a
/// fraction where an integer belongs) returns nil, and the caller decodes the same bytes with
/// `JSONDecoder`, which decides. Loading 100,000 users is then a matter of bytes, not of
/// generic decoding containers (23 µs a user before, about 2 after).
enum UserPageParser {
    /// The records and the envelope's message of a successful answer, or nil to fall back.
    static func parse(_ bytes: [UInt8]) -> (users: [User], message: String?)? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(buffer)
            return reader.envelope()
        }
    }

    /// The cursor over the bytes; its value readers are in `UserPageParser+Values.swift`.
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func envelope() -> (users: [User], message: String?)? {
            guard consume(UInt8(ascii: "{")) else { return nil }
            var success: Bool?
            var users: [User]?
            var message: String?
            var seen: UInt32 = 0
            if consume(UInt8(ascii: "}")) { return nil }
            repeat {
                guard let member = nextMember(Self.envelopeKeys, seen: &seen) else { return nil }
                guard let key = member else { continue }
                switch key {
                case .success:
                    guard let flag = bool() else { return nil }
                    success = flag
                case .data:
                    if null() { users = [] } else {
                        guard let list = userArray() else { return nil }
                        users = list
                    }
                case .message:
                    if !null() {
                        guard let text = string() else { return nil }
                        message = text
                    }
                case .errorCode:
                    if !null() { guard string() != nil else { return nil } }
                }
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")), atEnd(), success == true, let users else { return nil }
            return (users, message.flatMap { $0.isEmpty ? nil : $0 })
        }

        mutating func userArray() -> [User]? {
            guard consume(UInt8(ascii: "[")) else { return nil }
            var users: [User] = []
            if consume(UInt8(ascii: "]")) { return users }
            repeat {
                guard let user = user() else { return nil }
                users.append(user)
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]")) ? users : nil
        }

        mutating func user() -> User? {
            guard consume(UInt8(ascii: "{")) else { return nil }
            var user = User(userId: 0, login: "")
            var userId: Int?
            var login: String?
            var loginName: String?
            var seen: UInt32 = 0
            if !consume(UInt8(ascii: "}")) {
                repeat {
                    guard let member = nextMember(Self.userKeys, seen: &seen) else { return nil }
                    guard let key = member else { continue }
                    switch key {
                    case .userId: guard lenientInt(&userId) else { return nil }
                    case .login: guard lenientString(&login) else { return nil }
                    case .loginName: guard lenientString(&loginName) else { return nil }
                    case .email: guard lenientString(&user.email) else { return nil }
                    case .firstName: guard lenientString(&user.firstName) else { return nil }
                    case .lastName: guard lenientString(&user.lastName) else { return nil }
                    case .company: guard lenientString(&user.company) else { return nil }
                    case .phone: guard lenientString(&user.phone) else { return nil }
                    case .networkId: guard lenientInt(&user.networkId) else { return nil }
                    case .mailboxId: guard lenientInt(&user.mailboxId) else { return nil }
                    case .openSessions: guard lenientInt(&user.openSessions) else { return nil }
                    case .timeOut: guard lenientInt(&user.timeOut) else { return nil }
                    case .authLevel:
                        var text: String?
                        guard strictString(&text) else { return nil }
                        user.authLevel = text.map(AuthLevel.init(rawValue:))
                    case .status:
                        var text: String?
                        guard strictString(&text) else { return nil }
                        user.status = text.map(UserStatus.init(rawValue:))
                    case .created, .lastLogin, .modified:
                        var text: String?
                        guard strictString(&text) else { return nil }
                        let date = text.flatMap(ECGridDate.init(parsing:))
                        switch key {
                        case .created: user.created = date
                        case .lastLogin: user.lastLogin = date
                        default: user.modified = date
                        }
                    case .lockoutStatus:
                        if !null() {
                            guard let flag = bool() else { return nil }
                            user.lockoutStatus = flag
                        }
                    }
                } while consume(UInt8(ascii: ","))
                guard consume(UInt8(ascii: "}")) else { return nil }
            }
            guard let userId else { return nil }
            user.userId = userId
            user.login = login ?? loginName ?? ""
            return user
        }

        // MARK: Keys

        enum EnvelopeKey: CaseIterable { case success, data, message, errorCode }
        enum UserKey: CaseIterable {
            case userId, login, loginName, email, firstName, lastName, company, phone, networkId, mailboxId
            case openSessions, timeOut, authLevel, status, created, lastLogin, modified, lockoutStatus
        }

        enum KeyMatch<Key> {
            /// A known key and its bit, for finding duplicates.
            case known(Key, bit: UInt32)
            /// A key the client does not know: its value is skipped.
            case unknown
        }

        static let envelopeKeys = table(EnvelopeKey.allCases)
        static let userKeys = table(UserKey.allCases)

        static func table<Key>(_ keys: [Key]) -> [(bytes: [UInt8], key: Key)] {
            keys.map { (Array(String(describing: $0).utf8), $0) }
        }

        /// The next key, matched against `known` by its bytes (no string is made); nil when the
        /// key has an escape or a control character in it (the fast path ends there).
        mutating func fieldKey<Key>(_ known: [(bytes: [UInt8], key: Key)]) -> KeyMatch<Key>? {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let start = index + 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                if bytes[end] == UInt8(ascii: "\\") || bytes[end] < 0x20 { return nil }
                end += 1
            }
            guard end < bytes.count else { return nil }
            index = end + 1
            let length = end - start
            guard length > 0 else { return .unknown }
            let first = bytes[start]
            for position in known.indices {
                let candidate = known[position].bytes
                guard candidate.count == length, candidate[0] == first else { continue }
                let same = candidate.withUnsafeBufferPointer { wanted in
                    guard let mine = bytes.baseAddress, let theirs = wanted.baseAddress else { return false }
                    return memcmp(theirs, mine + start, length) == 0
                }
                if same { return .known(known[position].key, bit: UInt32(1) << UInt32(position)) }
            }
            return .unknown
        }

        /// The next member of an object up to its value: the known key (its value next), nil
        /// for an unknown key (its value already skipped), or nil-nil to fall back (a bad key,
        /// no colon, a known key seen twice, a value that cannot be skipped).
        mutating func nextMember<Key>(_ known: [(bytes: [UInt8], key: Key)], seen: inout UInt32) -> Key?? {
            guard let match = fieldKey(known), consume(UInt8(ascii: ":")) else { return nil }
            guard case .known(let key, let bit) = match else {
                return skipValue(depth: 0) ? .some(nil) : nil
            }
            guard seen & bit == 0 else { return nil }
            seen |= bit
            return .some(key)
        }
    }
}
