import ECGridKit

/// The loaded users, kept column by column: numbers in arrays of their own, the texts the list
/// shows (login, name, email) in one byte buffer, AuthLevel and status as small codes. A user
/// costs its bytes and a few words, not a struct of strings with allocations of their own, so
/// 100,000 users fit in about 12 MB. Rows are made on demand (the screen shows a few dozen).
package struct UserTable: RandomAccessCollection, Sendable {
    package typealias Index = Int
    package typealias Element = ListedUser

    /// User IDs, in list order.
    package private(set) var ids: [Int] = []
    /// Network, mailbox and open sessions of each user, three a user (`Int32.min`: not sent).
    private var numbers: [Int32] = []
    /// AuthLevel and status codes: indexes into `words` (0: not sent).
    private var levels: [UInt16] = []
    private var statuses: [UInt16] = []
    private var words: [String] = [""]
    private var codes: [String: UInt16] = [:]
    /// Each user's login, name and email end to end, and the lengths of login and name (email
    /// is the rest; `hasEmail` says whether the server sent one).
    private var texts = ByteRuns()
    private var textLengths: [UInt32] = []
    private var hasEmail: [Bool] = []

    package init() {}

    package var startIndex: Int { 0 }
    package var endIndex: Int { ids.count }

    package subscript(position: Int) -> ListedUser {
        let loginEnd = Int(textLengths[position * 2])
        let nameEnd = loginEnd + Int(textLengths[position * 2 + 1])
        let number = position * 3
        let (login, name, email) = texts.withRun(position) { run in
            (String(decoding: run[0..<loginEnd], as: UTF8.self), String(decoding: run[loginEnd..<nameEnd], as: UTF8.self),
             hasEmail[position] ? String(decoding: run[nameEnd...], as: UTF8.self) : nil)
        }
        return ListedUser(
            userId: ids[position], login: login, displayName: name, email: email,
            authLevel: levels[position] == 0 ? nil : AuthLevel(rawValue: words[Int(levels[position])]),
            status: statuses[position] == 0 ? nil : UserStatus(rawValue: words[Int(statuses[position])]),
            network: numbers[number], mailbox: numbers[number + 1], sessions: numbers[number + 2])
    }

    /// Adds a user at the end.
    mutating func append(_ user: ListedUser) {
        ids.append(user.userId)
        numbers.append(contentsOf: [user.network, user.mailbox, user.sessions])
        levels.append(code(user.authLevel?.rawValue))
        statuses.append(code(user.status?.rawValue))
        texts.append(Self.run(user))
        textLengths.append(contentsOf: [UInt32(user.login.utf8.count), UInt32(user.displayName.utf8.count)])
        hasEmail.append(user.email != nil)
    }

    /// Replaces the user at `position` (its record changed).
    mutating func replace(at position: Int, with user: ListedUser) {
        texts.replace(at: position, with: Self.run(user))
        textLengths[position * 2] = UInt32(user.login.utf8.count)
        textLengths[position * 2 + 1] = UInt32(user.displayName.utf8.count)
        hasEmail[position] = user.email != nil
        let number = position * 3
        numbers[number] = user.network
        numbers[number + 1] = user.mailbox
        numbers[number + 2] = user.sessions
        levels[position] = code(user.authLevel?.rawValue)
        statuses[position] = code(user.status?.rawValue)
    }

    mutating func removeAll() { self = UserTable() }

    /// A user's texts end to end.
    private static func run(_ user: ListedUser) -> [UInt8] {
        Array(user.login.utf8) + Array(user.displayName.utf8) + Array((user.email ?? "").utf8)
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
}
