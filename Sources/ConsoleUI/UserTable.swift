import ECGridKit

/// The loaded users, kept column by column: numbers in arrays of their own, the texts the list
/// shows (login, name, email) in one byte buffer, AuthLevel and status as small codes. A user
/// costs its bytes and a few words, not a struct of strings with allocations of their own, so
/// 100,000 users fit in about 12 MB. Rows are made on demand (the screen shows a few dozen).
public struct UserTable: RandomAccessCollection, Sendable {
    public typealias Index = Int
    public typealias Element = ListedUser

    /// User IDs, in list order.
    public private(set) var ids: [Int] = []
    /// Network, mailbox and open sessions of each user, three a user (`Int32.min`: not sent).
    private var numbers: [Int32] = []
    /// AuthLevel and status codes: indexes into `words` (0: not sent).
    private var levels: [UInt16] = []
    private var statuses: [UInt16] = []
    private var words: [String] = [""]
    private var codes: [String: UInt16] = [:]
    /// Start of each user's texts in `text`, and the lengths of login, name and email (email
    /// `UInt32.max`: not sent), four a user.
    private var spans: [UInt32] = []
    private var text: [UInt8] = []
    /// Bytes of texts that were replaced.
    private var garbage = 0

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { ids.count }

    public subscript(position: Int) -> ListedUser {
        let span = position * 4
        let start = Int(spans[span])
        let loginEnd = start + Int(spans[span + 1])
        let nameEnd = loginEnd + Int(spans[span + 2])
        let emailLength = spans[span + 3]
        let number = position * 3
        return text.withUnsafeBufferPointer { bytes in
            func string(_ from: Int, _ to: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self) }
            return ListedUser(
                userId: ids[position], login: string(start, loginEnd), displayName: string(loginEnd, nameEnd),
                email: emailLength == .max ? nil : string(nameEnd, nameEnd + Int(emailLength)),
                authLevel: levels[position] == 0 ? nil : AuthLevel(rawValue: words[Int(levels[position])]),
                status: statuses[position] == 0 ? nil : UserStatus(rawValue: words[Int(statuses[position])]),
                network: numbers[number], mailbox: numbers[number + 1], sessions: numbers[number + 2])
        }
    }

    /// Adds a user at the end.
    mutating func append(_ user: ListedUser) {
        ids.append(user.userId)
        numbers.append(contentsOf: [user.network, user.mailbox, user.sessions])
        levels.append(code(user.authLevel?.rawValue))
        statuses.append(code(user.status?.rawValue))
        spans.append(contentsOf: store(user))
    }

    /// Replaces the user at `position` (its record changed).
    mutating func replace(at position: Int, with user: ListedUser) {
        let span = position * 4
        garbage += Int(spans[span + 1]) + Int(spans[span + 2]) + (spans[span + 3] == .max ? 0 : Int(spans[span + 3]))
        let stored = store(user)
        for offset in 0..<4 { spans[span + offset] = stored[offset] }
        let number = position * 3
        numbers[number] = user.network
        numbers[number + 1] = user.mailbox
        numbers[number + 2] = user.sessions
        levels[position] = code(user.authLevel?.rawValue)
        statuses[position] = code(user.status?.rawValue)
        if garbage > text.count / 2 { compact() }
    }

    mutating func removeAll() { self = UserTable() }

    /// Appends the texts of a user; returns its span.
    private mutating func store(_ user: ListedUser) -> [UInt32] {
        let start = UInt32(text.count)
        let login = Array(user.login.utf8)
        let name = Array(user.displayName.utf8)
        let email = user.email.map { Array($0.utf8) }
        text.append(contentsOf: login)
        text.append(contentsOf: name)
        if let email { text.append(contentsOf: email) }
        return [start, UInt32(login.count), UInt32(name.count), email.map { UInt32($0.count) } ?? .max]
    }

    /// The code of an AuthLevel or status text. Servers send a handful; past 65,000 distinct
    /// ones (a hostile server) the rest share the last code and show as "(many values)".
    private mutating func code(_ word: String?) -> UInt16 {
        guard let word else { return 0 }
        if let known = codes[word] { return known }
        guard words.count < Int(UInt16.max) else { return UInt16(words.count - 1) }
        let new = UInt16(words.count)
        words.append(words.count == Int(UInt16.max) - 1 ? "(many values)" : word)
        codes[word] = new
        return new
    }

    /// Rewrites the text buffer without replaced texts.
    private mutating func compact() {
        var fresh: [UInt8] = []
        fresh.reserveCapacity(text.count - garbage)
        for position in ids.indices {
            let span = position * 4
            let start = Int(spans[span])
            let length = Int(spans[span + 1]) + Int(spans[span + 2]) + (spans[span + 3] == .max ? 0 : Int(spans[span + 3]))
            spans[span] = UInt32(fresh.count)
            fresh.append(contentsOf: text[start..<(start + length)])
        }
        text = fresh
        garbage = 0
    }
}
