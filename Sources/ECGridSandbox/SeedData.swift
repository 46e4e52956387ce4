import ECGridKit
import Foundation

/// A user as the sandbox keeps it: the public record plus its secrets.
struct SandboxUser: Sendable {
    var record: User
    var password: String
    /// The user's API keys (`SandboxKey`), the primary first.
    var keyIDs: [Int]
    /// Sent as `loginName` instead of `login`, and with a field the client does not know,
    /// as some ECGrid pages do.
    var quirky: Bool
}

/// The well-known accounts every sandbox has, printed at start.
public enum SandboxAccounts {
    /// TechOps: may see and manage every user.
    public static let operatorID = 1001
    public static let operatorLogin = "sandbox.operator"
    /// NetworkUser on network 10: may read its network, may not reset anyone (403).
    public static let viewerID = 1002
    public static let viewerLogin = "sandbox.viewer"
    /// NetworkAdmin on network 10: may manage network 10, nobody else.
    public static let netAdminID = 1003
    public static let netAdminLogin = "sandbox.netadmin"
    /// Every seeded user's password starts as this prefix followed by the user ID (a password
    /// change replaces it; `SandboxStore.password(of:)` knows the current one).
    public static let passwordPrefix = "Sandbox#"
    /// The first generated user's ID.
    public static let firstGeneratedID = 40001
    /// The networks seeded users belong to.
    public static let networks = [10, 20, 30, 40, 50, 60]

    /// The password a seeded user starts with.
    public static func password(for userId: Int) -> String { "\(passwordPrefix)\(userId)" }
}

/// Deterministic demo data: realistic names across several networks and mailboxes, every
/// AuthLevel and Status, some wide characters, and a few hostile strings for the console's
/// sanitising to deal with.
enum SeedData {
    static let firstNames = [
        "Alice", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ingrid", "Jamal", "Kasia",
        "Liam", "Mei", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tomás", "Uma", "Viktor", "Wen", "Ximena",
        "Yusuf", "Zoë", "José", "Łukasz", "Søren", "Anaïs", "Priya", "Kwame", "Aoife", "Mateo", "Hannah", "Omar",
    ]
    static let lastNames = [
        "Anderson", "Brennan", "Castillo", "Dubois", "Eriksen", "Fischer", "García", "Hughes", "Ivanova", "Jensen",
        "Kowalski", "López", "Müller", "Nakamura", "O'Neil", "Petrov", "Quintero", "Rossi", "Schmidt", "Tanaka",
        "Ulrich", "Varga", "Walsh", "Xu", "Yamamoto", "Zimmermann", "Okafor", "Haddad", "Lindqvist", "Novak",
    ]
    static let wideNames: [(String, String)] = [
        ("伟", "王"), ("美咲", "佐藤"), ("지훈", "김"), ("秀英", "李"), ("Ana 🚀", "Silva"), ("Ravi", "Patel 🛰️"),
    ]
    static let hostileNames: [(String, String)] = [
        ("Mallory", "\u{1B}[31mRED\u{1B}[0m\u{1B}[2J"),
        ("Eve", "\u{1B}]0;pwned title\u{07}Owens"),
        ("Trent", "Invoice\u{202E}fdp.exe"),
        ("Zero\u{200B}Width", "Jo\u{0301}hnson"),
        ("Bell\u{07}\u{08}\u{08}", "Back\u{7F}space"),
        ("C1\u{9B}31m", "\u{1B}P+q\u{1B}\\DCS"),
        (String(repeating: "Longname", count: 40), "Lengthy"),
    ]
    static let companies = [
        "Acme Freight", "Blue Harbor Logistics", "Cobalt Retail", "Delta Pharma", "Evergreen Foods", "Falcon Parts",
        "Granite Wholesale", "Helios Energy", "北京贸易公司", "Nordlicht GmbH", "Café Olé 🍩", "Orbit Textiles",
    ]

    /// The users of a sandbox and their API keys.
    struct Population {
        var users: [SandboxUser]
        /// By `keyId`, from 1.
        var keys: [SandboxKey]
    }

    /// The users of a sandbox with `count` users in all (at least the three well-known ones),
    /// each with a primary API key, some with one or two more.
    static func population(count: Int, seed: UInt64) -> Population {
        var rng = SeededRandom(seed: seed)
        var users: [SandboxUser] = []
        users.reserveCapacity(max(count, 3))
        // Drawn in turn with the users' data, as they always were, so a seed keeps its users.
        var primaryKeys: [String] = []
        func drawPrimaryKey() { primaryKeys.append("sbx_" + rng.hex(40)) }
        func special(_ id: Int, _ login: String, _ first: String, _ last: String, _ level: AuthLevel, _ network: Int)
            -> SandboxUser
        {
            drawPrimaryKey()
            return SandboxUser(
                record: User(
                    userId: id, login: login, email: "\(login)@sandbox.example", firstName: first, lastName: last,
                    networkId: network, mailboxId: 0, authLevel: level, status: .active,
                    created: ECGridDate(parsing: "2023-01-02T09:00:00Z"), company: "ECGrid Sandbox"),
                password: SandboxAccounts.password(for: id), keyIDs: [], quirky: false)
        }
        users.append(special(SandboxAccounts.operatorID, SandboxAccounts.operatorLogin, "Sandbox", "Operator", .techOps, 1))
        users.append(special(SandboxAccounts.viewerID, SandboxAccounts.viewerLogin, "Sandbox", "Viewer", .networkUser, 10))
        users.append(special(SandboxAccounts.netAdminID, SandboxAccounts.netAdminLogin, "Sandbox", "NetAdmin", .networkAdmin, 10))
        let generated = max(0, count - users.count)
        var logins: [(login: String, network: Int)] = []
        for index in 0..<generated {
            let id = SandboxAccounts.firstGeneratedID + index
            var first = rng.pick(firstNames)
            var last = rng.pick(lastNames)
            if index % 23 == 5 { (first, last) = wideNames[(index / 23) % wideNames.count] }
            if index % 61 == 11 { (first, last) = hostileNames[(index / 61) % hostileNames.count] }
            // Every AuthLevel and Status early on, then a realistic spread.
            let level = Self.authLevel(index, &rng)
            let status = Self.status(index, &rng)
            let network = SandboxAccounts.networks[rng.below(SandboxAccounts.networks.count)]
            let networkLevel = level.isAtLeast(.networkUser)
            let mailbox = networkLevel ? 0 : 1000 + network * 10 + rng.below(8)
            var login = asciiLogin(first: first, last: last, id: id)
            // The same login on another network, as real ECGrid allows.
            if index % 97 == 40, let earlier = logins.last(where: { $0.network != network }) {
                login = earlier.login
            }
            logins.append((login, network))
            let created = Self.createdText(&rng)
            let lastLogin = rng.chance(0.7)
                ? ECGridDate(Date(timeIntervalSince1970: 1_735_689_600 + Double(rng.below(25_000_000)))) : nil
            let record = User(
                userId: id, login: login, email: "\(login)@\(["acme", "blueharbor", "cobalt", "delta", "evergreen", "falcon"][SandboxAccounts.networks.firstIndex(of: network) ?? 0]).example",
                firstName: first, lastName: last, networkId: network, mailboxId: mailbox, authLevel: level,
                status: status, created: ECGridDate(parsing: created), company: rng.pick(companies),
                phone: rng.chance(0.5) ? "+1 555 \(1000 + rng.below(9000))" : nil, lastLogin: lastLogin,
                lockoutStatus: status == .suspended, timeOut: 900)
            drawPrimaryKey()
            users.append(SandboxUser(
                record: record, password: SandboxAccounts.password(for: id), keyIDs: [], quirky: index % 7 == 3))
        }
        let keys = keys(for: &users, primaries: primaryKeys, seed: seed)
        return Population(users: users, keys: keys)
    }

    /// Each user's primary key (Private), and for some users one or two more: the demo
    /// NetworkAdmin has two keys, four in ten generated users two or three. Drawn from an rng
    /// of their own, so the users stay what the seed always made.
    static func keys(for users: inout [SandboxUser], primaries: [String], seed: UInt64) -> [SandboxKey] {
        var rng = SeededRandom(seed: seed ^ 0x4B45_5953)
        var keys: [SandboxKey] = []
        keys.reserveCapacity(users.count * 3 / 2)
        for (index, primary) in zip(users.indices, primaries) {
            let record = users[index].record
            let roll = rng.below(10)
            let extra = record.userId == SandboxAccounts.netAdminID ? 1
                : record.userId < SandboxAccounts.firstGeneratedID ? 0 : roll < 6 ? 0 : roll < 9 ? 1 : 2
            let created = record.created ?? ECGridDate(Date(timeIntervalSince1970: 1_672_650_000))
            var made = [SandboxKey(keyId: keys.count + 1, userId: record.userId, secret: primary, visibility: .private, created: created)]
            for _ in 0..<extra {
                made.append(SandboxKey(
                    keyId: keys.count + made.count + 1, userId: record.userId, secret: "sbx_" + rng.hex(40),
                    visibility: rng.pick([.shared, .public, .session]),
                    created: ECGridDate(Date(timeIntervalSince1970: 1_704_067_200 + Double(rng.below(50_000_000))))))
            }
            users[index].keyIDs = made.map(\.keyId)
            keys += made
        }
        return keys
    }

    /// Every AuthLevel in turn for the first users, then a realistic spread.
    static func authLevel(_ index: Int, _ rng: inout SeededRandom) -> AuthLevel {
        if index < AuthLevel.ordered.count { return AuthLevel.ordered[index] }
        let roll = rng.below(100)
        return roll < 2 ? .netOps : roll < 10 ? .networkAdmin : roll < 30 ? .networkUser
            : roll < 45 ? .mailboxAdmin : roll < 80 ? .mailboxUser : roll < 92 ? .tpUser : .general
    }

    /// Every status in turn for the first users, then a realistic spread.
    static func status(_ index: Int, _ rng: inout SeededRandom) -> UserStatus {
        if index < UserStatus.all.count { return UserStatus.all[index] }
        let roll = rng.below(100)
        return roll < 78 ? .active : roll < 86 ? .development : roll < 92 ? .preproduction
            : roll < 97 ? .suspended : .terminated
    }

    /// A creation time as ECGrid writes it, with 0 to 7 digits of fraction.
    static func createdText(_ rng: inout SeededRandom) -> String {
        let year = 2019 + rng.below(6)
        let digits = rng.below(8)
        let fraction = digits == 0 ? "" : "." + String(String(rng.next()).prefix(digits))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, 1 + rng.below(12), 1 + rng.below(28),
            rng.below(24), rng.below(60), rng.below(60)) + fraction + "Z"
    }

    /// A login made of ASCII letters, digits and dots.
    static func asciiLogin(first: String, last: String, id: Int) -> String {
        func clean(_ text: String) -> String {
            let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            let kept = folded.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
            return String(String.UnicodeScalarView(kept).prefix(12))
        }
        let parts = [clean(first), clean(last)].filter { !$0.isEmpty }
        let base = parts.isEmpty ? "user" : parts.joined(separator: ".")
        return "\(base).\(id % 1000)"
    }
}
