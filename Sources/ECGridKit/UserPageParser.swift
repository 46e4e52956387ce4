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

    /// The cursor over the bytes: the envelope and the user records, their keys, then the values.
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
            guard let identity = UserIdentity(userId: userId, login: login, loginName: loginName) else { return nil }
            user.userId = identity.userId
            user.login = identity.login
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

        // MARK: Values

        /// An integer, a numeric string or null. False (fall back) for any other shape.
        mutating func lenientInt(_ value: inout Int?) -> Bool {
            lenient(&value, text: { Int($0.trimmingCharacters(in: .whitespaces)) }, number: { $0 })
        }

        /// A string, an integer (written out) or null.
        mutating func lenientString(_ value: inout String?) -> Bool {
            lenient(&value, text: { $0 }, number: { String($0) })
        }

        /// A value sent as a string, an integer or null, each turned into `T` as given; null leaves
        /// `value` as it is. False (fall back) for any other shape.
        private mutating func lenient<T>(_ value: inout T?, text: (String) -> T?, number: (Int) -> T) -> Bool {
            skipSpace()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "n"):
                return null()
            case UInt8(ascii: "\""):
                guard let string = string() else { return false }
                value = text(string)
                return true
            default:
                guard let integer = integer() else { return false }
                value = number(integer)
                return true
            }
        }

        /// A string or null.
        mutating func strictString(_ value: inout String?) -> Bool {
            if null() { return true }
            guard let text = string() else { return false }
            value = text
            return true
        }

        /// An integer without fraction or exponent that fits `Int`.
        mutating func integer() -> Int? {
            skipSpace()
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digits = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            guard index > digits, index - digits <= 18, index - digits == 1 || bytes[digits] != 48 else { return nil }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") { return nil }
            var value = 0
            for position in digits..<index { value = value * 10 + Int(bytes[position] - 48) }
            return bytes[start] == UInt8(ascii: "-") ? -value : value
        }

        mutating func bool() -> Bool? {
            if literal("true") { return true }
            if literal("false") { return false }
            return nil
        }

        mutating func null() -> Bool { literal("null") }

        mutating func literal(_ word: StaticString) -> Bool {
            skipSpace()
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// A JSON string; nil on a raw control character, a bad escape or a lone surrogate.
        mutating func string() -> String? {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            let start = index
            // The common case: no escape, copied in one go.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { return nil }
                index += 1
            }
            var scalars = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: scalars, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                    case UInt8(ascii: "b"): scalars.append(0x08)
                    case UInt8(ascii: "f"): scalars.append(0x0C)
                    case UInt8(ascii: "n"): scalars.append(0x0A)
                    case UInt8(ascii: "r"): scalars.append(0x0D)
                    case UInt8(ascii: "t"): scalars.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var code = hex4() else { return nil }
                        if (0xD800...0xDBFF).contains(code) {
                            guard literalBytes([UInt8(ascii: "\\"), UInt8(ascii: "u")]), let low = hex4(), (0xDC00...0xDFFF).contains(low) else {
                                return nil
                            }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00...0xDFFF).contains(code) {
                            return nil
                        }
                        guard let scalar = Unicode.Scalar(code) else { return nil }
                        scalars.append(contentsOf: Array(String(scalar).utf8))
                    default:
                        return nil
                    }
                default:
                    if byte < 0x20 { return nil }
                    scalars.append(byte)
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case 48...57: digit = byte - 48
                case 65...70: digit = byte - 55
                case 97...102: digit = byte - 87
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        mutating func literalBytes(_ expected: [UInt8]) -> Bool {
            guard index + expected.count <= bytes.count else { return false }
            for (offset, byte) in expected.enumerated() where bytes[index + offset] != byte { return false }
            index += expected.count
            return true
        }

        /// Skips any value; false when it is not well-formed or nests deeper than 64.
        mutating func skipValue(depth: Int) -> Bool {
            guard depth < 64 else { return false }
            skipSpace()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return string() != nil
            case UInt8(ascii: "{"):
                index += 1
                if consume(UInt8(ascii: "}")) { return true }
                repeat {
                    guard string() != nil, consume(UInt8(ascii: ":")), skipValue(depth: depth + 1) else { return false }
                } while consume(UInt8(ascii: ","))
                return consume(UInt8(ascii: "}"))
            case UInt8(ascii: "["):
                index += 1
                if consume(UInt8(ascii: "]")) { return true }
                repeat {
                    guard skipValue(depth: depth + 1) else { return false }
                } while consume(UInt8(ascii: ","))
                return consume(UInt8(ascii: "]"))
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                return bool() != nil
            case UInt8(ascii: "n"):
                return null()
            default:
                return skipNumber()
            }
        }

        /// A JSON number: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
        mutating func skipNumber() -> Bool {
            func digits() -> Int {
                let start = index
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
                return index - start
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let first = index
            let whole = digits()
            guard whole > 0, whole == 1 || bytes[first] != 48 else { return false }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { return false }
            }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { return false }
            }
            return true
        }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 32 || bytes[index] == 10 || bytes[index] == 13 || bytes[index] == 9 { index += 1 }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func atEnd() -> Bool {
            skipSpace()
            return index == bytes.count
        }
    }
}
