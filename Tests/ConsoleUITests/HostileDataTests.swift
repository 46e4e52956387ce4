import ConsoleUI
import ECGridKit
import Foundation
import Testing

/// Every kind of hostile text a server could send in a user's fields.
enum Hostile {
    static let c0 = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined() + "\u{7F}"
    static let c1 = (0x80...0x9F).compactMap { Unicode.Scalar($0).map(String.init) }.joined()
    static let samples: [(first: String, last: String)] = [
        ("C0", "a" + c0 + "b"),
        ("C1", "c" + c1 + "d"),
        ("CSI", "\u{1B}[2J\u{1B}[38;5;201mPINK\u{1B}[6n\u{1B}[?1049l"),
        ("OSC", "\u{1B}]0;owned title\u{07}\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}]8;;http://x.example\u{1B}\\link"),
        ("DCS", "\u{1B}P+q544e\u{1B}\\\u{1B}_apc\u{1B}\\\u{1B}^pm\u{1B}\\\u{1B}Xsos\u{1B}\\"),
        ("Bidi", "Invoice\u{202E}fdp.exe\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}"),
        ("Zero", "zero\u{200B}width\u{200C}\u{200D}\u{2060}\u{FEFF}joiners"),
        ("Combining", "e\u{0301}\u{0301}\u{0301} Z\u{0337}\u{0321}\u{0353}\u{033F}\u{0300}\u{0301}\u{0302}\u{0303}\u{0304}"),
        ("Broken", "not\u{FFFD}utf\u{FFFD}\u{FFFD}8"),
        ("Wide", "伟王 🚀👩‍👩‍👧 ＡＢＣ"),
        ("Long", String(repeating: "Ω", count: 10_000)),
    ]

    /// Users whose every text field carries one of the samples.
    static func users() -> [User] {
        samples.enumerated().map { index, sample in
            User(userId: 50_001 + index, login: "h.\(index)" + sample.last.prefix(40), email: sample.last + "@x.example",
                 firstName: sample.first, lastName: sample.last, networkId: 10, mailboxId: 0, authLevel: .networkUser,
                 status: .active, company: sample.last, phone: sample.last, openSessions: 1)
        }
    }
}

@Suite("Hostile data reaches the grid inert and aligned")
struct HostileDataTests {
    /// Every scalar in every cell is one a terminal shows as itself.
    func unsafeScalars(_ grid: Grid) -> [String] {
        var found: [String] = []
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                for scalar in grid[x, y].text.unicodeScalars where !TerminalText.isSafe(scalar) && !Self.joins(scalar) {
                    found.append("U+\(String(scalar.value, radix: 16)) at \(x),\(y)")
                }
            }
        }
        return found
    }

    /// Marks that join characters into one grapheme (combining, emoji joiners and selectors) stay in their cell.
    static func joins(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x200D || (0xFE00...0xFE0F).contains(scalar.value)
    }

    @Test("list, record, confirmation and history: every cell safe, every row its width, columns where they belong",
          arguments: [(80, 24), (120, 40), (200, 60)])
    func everywhere(width: Int, height: Int) {
        let hostile = Hostile.users()
        var state = loadedState(width: width, height: height, users: hostile + sampleUsers(20))
        let columns = ConsoleState.userColumns(width - 2)
        let authColumn = 1 + columns[0] + columns[1] + 1 + columns[2] + 1 + columns[3] + 1 + columns[4] + 1
        for index in hostile.indices {
            state.update(.key(.home))
            for _ in 0..<index { state.update(.key(.down)) }
            let effects = state.update(.key(.enter))
            if case .readTargets(let request, let ids)? = effects.last {
                state.update(.targetRead(request: request, userId: ids[0], .success(hostile[index])))
            }
            let grid = state.render()
            #expect(unsafeScalars(grid).isEmpty, "\(Hostile.samples[index].first): \(unsafeScalars(grid).prefix(5))")
            #expect(grid.lines.allSatisfy { TerminalText.width($0) == width })
            // Every listed row keeps the AuthLevel in its column, whatever came before it.
            for y in 4..<(4 + min(state.userRows, state.visible.count)) {
                let text = (authColumn..<(authColumn + 11)).map { grid[$0, y].text }.joined()
                #expect(text == "NetworkUser", "row \(y) at \(width)x\(height): \(grid.line(y))")
                #expect(grid[width - 1, y].text == "│")
            }
        }
        // The confirmation dialog of a hostile user, re-read.
        state.update(.key(.home))
        for _ in 0..<3 { state.update(.key(.down)) }
        if case .readTargets(let request, let ids)? = state.update(.key(.character("r"))).first {
            state.update(.targetRead(request: request, userId: ids[0], .success(hostile[3])))
        }
        let dialog = state.render()
        #expect(dialog.text.contains("Type the user ID (50004)"))
        #expect(unsafeScalars(dialog).isEmpty)
        #expect(dialog.lines.allSatisfy { TerminalText.width($0) == width })
        // What escape sequences became is visible as text.
        state.update(.key(.escape))
        #expect(state.render().text.contains("^[[38;5;201mPINK") || width < 120)
    }

    @Test("random keys, sizes, batches and answers never trap and always fill the grid exactly")
    func fuzzUpdate() {
        var generator = SystemRandomNumberGenerator()
        let iterations = ProcessInfo.processInfo.environment["ECGRID_SOAK"] == "1" ? 200 : 30
        let hostile = Hostile.users()
        let named: [Key] = [.up, .down, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backTab, .backspace,
                            .delete, .left, .right, .function(5), .function(1), .ctrl("r"), .ctrl("c"), .ctrl("u")]
        for _ in 0..<iterations {
            var state = loadedState(width: 80, height: 24, users: sampleUsers(30))
            for step in 0..<250 {
                let roll = Int.random(in: 0..<100, using: &generator)
                var effects: [Effect] = []
                switch roll {
                case 0..<45:
                    effects = state.update(.key(named[Int.random(in: 0..<named.count, using: &generator)]))
                case 45..<80:
                    let value = UInt32.random(in: 0x20...0x2FFFF, using: &generator)
                    let scalar = Unicode.Scalar(value) ?? "x"
                    if scalar == "q" { continue }
                    effects = state.update(.key(.character(Character(scalar))))
                case 80..<85:
                    state.update(.resize(width: Int.random(in: 0...260, using: &generator), height: Int.random(in: 0...90, using: &generator)))
                case 85..<90:
                    let batch = (0..<Int.random(in: 0...5, using: &generator)).map { _ in hostile[Int.random(in: 0..<hostile.count, using: &generator)] }
                    state.update(.usersLoaded(generation: state.loadGeneration, users: batch, pages: 2, done: Bool.random(using: &generator)))
                case 90..<95:
                    state.update(.retrying(RetryEvent(request: "POST /v2/users/reset/1", attempt: 1, reason: "HTTP 429", delay: .seconds(1))))
                default:
                    state.update(.resize(width: 100, height: 30))
                }
                for effect in effects {
                    switch effect {
                    case .readTargets(let request, let ids):
                        for id in ids {
                            let answer: Result<User, Failure> = Bool.random(using: &generator)
                                ? .success(hostile.randomElement(using: &generator).map { user in
                                    var copy = user
                                    copy.userId = id
                                    return copy
                                } ?? User(userId: id, login: "x"))
                                : .failure(Failure(ECGridError(.timeout, request: "GET /v2/users/\(id)")))
                            state.update(.targetRead(request: request, userId: id, answer))
                        }
                    case .act(_, let ids, _):
                        state.update(.actionFinished(ids.map { deniedReset(User(userId: $0, login: "x")) }))
                    case .find(let request, let query):
                        state.update(.found(request: request, query: query, .success(Array(hostile.prefix(2)))))
                    default:
                        break
                    }
                }
                // Every update must leave a state that renders; drawing every fifth keeps the run short.
                guard step % 5 == 4 else { continue }
                let grid = state.render()
                #expect(grid.lines.count == max(0, state.height))
                #expect(grid.lines.allSatisfy { TerminalText.width($0) == max(0, state.width) })
            }
        }
    }
}
