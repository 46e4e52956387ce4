import ConsoleUI
import ECGridKit
import Testing

@Suite("Keys and messages: update and effects")
struct UpdateTests {
    @Test("moving: ↓ j ↑ k, PgDn PgUp, End Home")
    func moving() {
        var state = loadedState()
        state.press(.down, .character("j"))
        #expect(state.selectedUser?.userId == 40003)
        state.press(.up, .character("k"))
        #expect(state.selectedUser?.userId == 40001)
        state.press(.pageDown)
        #expect(state.selection == state.userRows - 1)
        state.press(.end)
        #expect(state.selectedUser?.userId == 40060)
        #expect(state.scroll == 60 - state.userRows)
        state.press(.pageUp, .home)
        #expect(state.selection == 0 && state.scroll == 0)
        state.press(.up)
        #expect(state.selection == 0)
    }

    @Test("/ filters as you type over ID, login, name and email; Enter keeps it, Esc clears it")
    func filter() {
        var state = loadedState()
        state.press(.character("/"))
        #expect(state.filterEditing)
        state.type("4001")
        #expect(state.visible.count == 10)
        state.press(.backspace)
        state.type("05")
        #expect(state.selectedUser?.userId == 40005)
        state.press(.enter)
        #expect(!state.filterEditing && state.filter == "40005")
        #expect(state.screen.contains("filter \"40005\": 1 match"))
        state.press(.escape)
        #expect(state.filter.isEmpty && state.visible.count == 60)
        #expect(state.selectedUser?.userId == 40005)

        state.press(.character("/"))
        state.type("u12@x")
        #expect(state.visible.count == 1)
        state.press(.escape)
        #expect(state.filter.isEmpty && !state.filterEditing)
        state.press(.character("/"))
        state.type("nobody-at-all")
        #expect(state.screen.contains("No loaded user matches \"nobody-at-all\""))
    }

    @Test("Space marks and moves on; r with marks confirms the count")
    func marking() {
        var state = loadedState()
        state.press(.character(" "), .character(" "), .character(" "))
        #expect(state.marked == [40001, 40002, 40003])
        #expect(state.screen.contains("3 marked"))
        let effects = state.press(.character("r"))
        guard case .readTargets(let request, let ids)? = effects.first else {
            Issue.record("no read effect: \(effects)")
            return
        }
        #expect(ids == [40001, 40002, 40003])
        for id in ids { state.update(.targetRead(request: request, userId: id, .success(state.user(id)!))) }
        #expect(state.screen.contains("Type the number of users (3) to confirm"))
        state.type("40001")
        #expect(state.press(.enter).isEmpty)
        for _ in 0..<5 { state.press(.backspace) }
        state.type("3")
        #expect(state.press(.enter) == [.act(.resetSessions, userIds: [40001, 40002, 40003], reason: nil)])
    }

    @Test("the confirmation: re-read first, focus on the typed field, wrong or empty Enter does nothing, the ID confirms")
    func confirmation() {
        var state = loadedState()
        state.press(.down)
        let effects = state.press(.character("r"))
        #expect(effects == [.readTargets(request: 1, userIds: [40002])])
        #expect(state.screen.contains("User 40002: re-reading from the server…"))
        // Enter before the server answered does nothing.
        state.type("40002")
        #expect(state.press(.enter).isEmpty)
        var fresh = state.user(40002)!
        fresh.openSessions = 5
        state.update(.targetRead(request: 1, userId: 40002, .success(fresh)))
        let screen = state.screen
        #expect(screen.contains("Open sessions 5 (just re-read from the server)"))
        #expect(screen.contains("Does NOT revoke API keys: they keep working."))
        #expect(screen.contains("▶ Type the user ID (40002) to confirm: 40002"))
        // Empty and wrong entries do nothing.
        for _ in 0..<5 { state.press(.backspace) }
        #expect(state.press(.enter).isEmpty)
        state.type("4000")
        #expect(state.press(.enter).isEmpty)
        #expect(state.screen.contains("Does not match: Enter does nothing."))
        state.type("2")
        #expect(state.screen.contains("Matches: Enter resets 1 user now. Esc cancels: nothing is sent."))
        // The reason field, by Tab.
        state.press(.tab)
        state.type("INC-42")
        state.press(.backTab)
        #expect(state.press(.enter) == [.act(.resetSessions, userIds: [40002], reason: "INC-42")])
        #expect(state.dialog == nil && state.actionsInFlight == 1)
        #expect(state.screen.contains("1 action(s) in flight"))
    }

    @Test("Esc cancels the confirmation: nothing is sent and the read is cancelled")
    func cancel() {
        var state = loadedState()
        state.press(.character("r"))
        state.type("40001")
        let effects = state.press(.escape)
        #expect(effects == [.cancelRead(request: 1)])
        #expect(state.dialog == nil && state.actionsInFlight == 0)
        #expect(state.screen.contains("Reset cancelled; nothing was sent."))
    }

    @Test("a target that cannot be read cannot be confirmed")
    func unreadableTarget() {
        var state = loadedState()
        state.press(.character("r"))
        state.update(.targetRead(request: 1, userId: 40001, .failure(Failure(summary: "GET /v2/users/40001 · HTTP 404 · ObjectNotFound", explanation: "Not found."))))
        #expect(state.screen.contains("User 40001 cannot be re-read, so nothing can be sent: Not found."))
        state.type("40001")
        #expect(state.press(.enter).isEmpty)
    }

    @Test("the answer fills the response pane, updates the row, and reloads the history")
    func resetAnswer() {
        var state = loadedState(width: 120, height: 40)
        let user = state.user(40001)!
        state.press(.character("r"))
        state.update(.targetRead(request: 1, userId: 40001, .success(user)))
        state.type("40001")
        state.press(.enter)
        let effects = state.update(.actionFinished([succeededReset(user, before: 3, after: 0)]))
        #expect(effects == [.loadHistory])
        #expect(state.actionsInFlight == 0)
        let text = state.screen
        #expect(text.contains("POST /v2/users/reset/40001"))
        #expect(text.contains("→ HTTP 200 · 12 ms · 1 attempt"))
        #expect(text.contains("success: true  data: true  errorCode: -"))
        #expect(text.contains("every bearer session is revoked (open 3 → 0)"))
        #expect(text.contains("Next if needed: K new API key, then T"))
        #expect(state.user(40001)?.openSessions == 0)
    }

    @Test("a 403 is shown with its meaning")
    func denied() {
        var state = loadedState(width: 120, height: 40)
        let user = state.user(40001)!
        state.update(.actionFinished([deniedReset(user)]))
        let text = state.screen
        #expect(text.contains("→ HTTP 403"))
        #expect(text.contains("errorCode: AccessDenied"))
        #expect(text.contains("Meaning: Access denied: your AuthLevel is too low"))
        #expect(text.contains("Reset sessions: 0 of 1 succeeded, 1 FAILED"))
    }

    @Test("while a reset runs the response pane says so, and a 429 retry shows there and in the status")
    func retrying() {
        var state = loadedState(width: 120, height: 40)
        let user = state.user(40001)!
        state.press(.character("r"))
        state.update(.targetRead(request: 1, userId: 40001, .success(user)))
        state.type("40001")
        state.press(.tab)
        state.type("INC-7")
        state.press(.enter)
        var text = state.screen
        #expect(text.contains("Reset sessions · 40001 user.0"))
        #expect(text.contains("waiting for the server…"))
        #expect(text.contains("Reason: INC-7"))
        #expect(text.contains("1 action(s) in flight"))
        state.update(.retrying(RetryEvent(request: "POST /v2/users/reset/40001", attempt: 1, reason: "HTTP 429 RateLimitExceeded", delay: .milliseconds(2500))))
        text = state.screen
        #expect(text.contains("1 action(s) in flight · HTTP 429 RateLimitExceeded: attempt 2 in 2.5 s"))
        #expect(text.contains("Attempt 1: HTTP 429 RateLimitExceeded; retrying in 2.5 s"))
        // The answer replaces the pending view; a late retry event no longer adds to it.
        state.update(.actionFinished([succeededReset(user, before: 1, after: 0)]))
        state.update(.retrying(RetryEvent(request: "GET /v2/users/40001", attempt: 1, reason: "HTTP 503", delay: .seconds(1))))
        #expect(!state.screen.contains("Attempt 1: HTTP 503"))
        #expect(state.screen.contains("→ HTTP 200"))
    }

    @Test("f finds on the server by ID or login; Esc cancels a pending find")
    func find() {
        var state = loadedState()
        state.press(.character("f"))
        state.type("99001")
        #expect(state.press(.enter) == [.find(request: 1, query: "99001")])
        #expect(state.screen.contains("Searching… (Esc cancels)"))
        let found = User(userId: 99001, login: "far.away", networkId: 60, mailboxId: 0)
        state.update(.found(request: 1, query: "99001", .success([found])))
        #expect(state.dialog == nil)
        #expect(state.selectedUser?.userId == 99001)

        state.press(.character("f"))
        state.type("ghost")
        state.press(.enter)
        state.update(.found(request: 2, query: "ghost", .success([])))
        #expect(state.screen.contains("No user has the login \"ghost\"."))
        #expect(state.press(.escape).isEmpty)

        state.press(.character("f"))
        state.type("slow")
        state.press(.enter)
        #expect(state.press(.escape) == [.cancelFind(request: 3)])
        // A late answer to a cancelled find changes nothing.
        state.update(.found(request: 3, query: "slow", .success([found])))
        #expect(state.dialog == nil)
    }

    @Test("Tab and Shift-Tab move focus; ↑↓ then scroll the focused pane")
    func focus() {
        var state = loadedState()
        state.update(.historyLoaded(.success([])))
        state.press(.tab)
        #expect(state.focus == .detail)
        #expect(state.screen.contains("▶ User record"))
        state.press(.tab)
        #expect(state.focus == .history)
        state.press(.down)
        #expect(state.selection == 0)
        state.press(.backTab, .backTab)
        #expect(state.focus == .users)
    }

    @Test("q quits at once when idle, asks while an action is in flight")
    func quit() {
        var idle = loadedState()
        #expect(idle.press(.character("q")) == [.quit])
        var busy = loadedState()
        busy.press(.character("r"))
        busy.update(.targetRead(request: 1, userId: 40001, .success(busy.user(40001)!)))
        busy.type("40001")
        #expect(busy.press(.enter) == [.act(.resetSessions, userIds: [40001], reason: nil)])
        #expect(busy.actionsInFlight == 1)
        #expect(busy.press(.ctrl("c")).isEmpty)
        #expect(busy.screen.contains("An action is still in flight"))
        #expect(busy.press(.character("n")).isEmpty)
        #expect(busy.dialog == nil)
        busy.press(.character("q"))
        #expect(busy.press(.character("y")) == [.quit])
    }

    @Test("F5 and Ctrl-R reload: the old load is cancelled and the selection comes back")
    func reload() {
        var state = loadedState()
        state.press(.down, .down)
        let effects = state.press(.function(5))
        #expect(effects == [.cancelLoad(generation: 1), .loadUsers(generation: 2), .loadHistory])
        // The rows stay (stale) until the first new page replaces them.
        #expect(state.users.count == 60 && state.staleRows)
        state.update(.usersLoaded(generation: 2, users: sampleUsers(), pages: 1, done: true))
        #expect(!state.staleRows)
        #expect(state.selectedUser?.userId == 40003)
        #expect(state.press(.ctrl("r")).contains(.loadUsers(generation: 3)))
    }

    @Test("history entries show newest first, two lines each: outcome in words, then answer, operator and reason")
    func history() {
        var state = loadedState(width: 120, height: 40)
        let actor = HistoryItem.Actor(localUser: "alice", host: "jump1")
        func entry(_ id: Int, _ status: ActionStatus, _ answer: HistoryItem.Answer? = nil, reason: String? = nil) -> HistoryItem {
            HistoryItem(time: "2026-11-24T21:50:00.000Z", actionName: "reset-sessions",
                        target: HistoryItem.Target(userId: id, login: "user.\(id)"), actor: actor,
                        reason: reason, status: status, answer: answer)
        }
        let ok = HistoryItem.Answer(httpStatus: 200, latencyMs: 14, attempts: 2, sessionsBefore: 3, sessionsAfter: 0)
        let denied = HistoryItem.Answer(httpStatus: 403, errorCode: "AccessDenied", latencyMs: 5, attempts: 1)
        state.update(.historyLoaded(.success([
            entry(3, .succeeded, ok, reason: "INC-9"), entry(2, .unknown), entry(1, .failed, denied),
        ])))
        var text = state.screen
        #expect(text.contains("History (3)"))
        #expect(text.contains("11-24 21:50 succeeded reset 3 user.3"))
        // The detail wraps inside the pane.
        #expect(text.contains("HTTP 200 · sessions 3 → 0 · 14 ms · 2"))
        #expect(text.contains("attempts · alice@jump1 · INC-9"))
        #expect(text.contains("11-24 21:50 OUTCOME UNKNOWN reset 2"))
        #expect(text.contains("no answer recorded: check the user on"))
        #expect(text.contains("11-24 21:50 FAILED reset 1"))
        #expect(text.contains("HTTP 403 AccessDenied · 5 ms · alice@jump1"))
        // Focused, it scrolls entry by entry.
        state.press(.tab)
        state.press(.tab)
        #expect(state.focus == .history)
        state.press(.down)
        #expect(state.historyScroll == 1)
        text = state.screen
        #expect(text.contains("▶ History (3)"))
        let effects = state.update(.abandonedActions([entry(2, .unknown)]))
        #expect(effects == [.loadHistory])
        #expect(state.screen.contains("marked OUTCOME UNKNOWN in history"))
    }

    @Test("random keys never trap and keep every row the terminal's width")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        let keys: [Key] = [.up, .down, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backTab, .backspace,
                           .function(5), .ctrl("r"), .character("/"), .character("f"), .character(" "), .character("r"),
                           .character("?"), .character("a"), .character("4"), .character("0"), .character("j"), .character("k")]
        for _ in 0..<20 {
            var state = loadedState()
            for _ in 0..<300 {
                let key = keys.randomElement(using: &generator)!
                if key == .character("q") { continue }
                _ = state.update(.key(key))
                if case .confirmAction(let confirm)? = state.dialog {
                    for id in confirm.userIds where confirm.reads[id] == .reading {
                        _ = state.update(.targetRead(request: confirm.request, userId: id, .success(User(userId: id, login: "x"))))
                    }
                }
            }
            #expect(state.render().lines.allSatisfy { TerminalText.width($0) == 80 })
        }
    }
}

@Suite("The / filter's byte search")
struct FilterSearchTests {
    @Test("matches anywhere, case-insensitively, across repeated first bytes and wide characters", arguments: [
        ("aab", [40002]), ("AAAB", [40002]), ("伟", [40003]), ("王", [40003]), ("MAIL.EXAMPLE", [40001, 40002, 40003]),
        ("40003", [40003]), ("b.x", [40002]), ("zzz", []), ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", []),
    ] as [(String, [Int])])
    func search(filter: String, expected: [Int]) {
        let users = [
            User(userId: 40001, login: "plain", email: "p@mail.example", firstName: "Pat", lastName: "Doe"),
            User(userId: 40002, login: "xaaab.x", email: "x@mail.example", firstName: "Aaab", lastName: "Smith"),
            User(userId: 40003, login: "wei", email: "w@mail.example", firstName: "伟", lastName: "王"),
        ]
        var state = loadedState(users: users)
        state.press(.character("/"))
        state.type(filter)
        #expect(state.visible.map { state.users[$0].userId } == expected)
    }

    @Test("users streaming in under a filter: new matches are added in order, the selection stays on its user")
    func streamingUnderFilter() {
        var state = loadedState(users: sampleUsers(30))
        state.press(.character("/"))
        state.type("user.2")
        state.press(.enter, .down)
        let selected = state.selectedUser?.userId
        let before = state.visible.map { state.users[$0].userId }
        let more = (0..<40).map { index in
            User(userId: 41_000 + index, login: index % 2 == 0 ? "user.2\(index)" : "other.\(index)", authLevel: .networkUser)
        }
        state.update(.usersLoaded(generation: state.loadGeneration, users: more, pages: 2, done: false))
        let after = state.visible.map { state.users[$0].userId }
        #expect(Array(after.prefix(before.count)) == before)
        #expect(Array(after.dropFirst(before.count)) == more.filter { $0.login.hasPrefix("user.2") }.map(\.userId))
        #expect(state.selectedUser?.userId == selected)
        // A changed record that stops matching leaves the filtered list.
        var renamed = more[0]
        renamed.login = "renamed"
        state.update(.usersLoaded(generation: state.loadGeneration, users: [renamed], pages: 3, done: true))
        #expect(!state.visible.map { state.users[$0].userId }.contains(renamed.userId))
    }

    @Test("records changed again and again keep their texts and stay searchable (replaced texts are compacted away)")
    func repeatedChanges() {
        var state = loadedState(users: sampleUsers(10))
        for round in 0..<40 {
            let renamed = sampleUsers(10).map { user in
                var copy = user
                copy.login = "r\(round)." + String(repeating: "x", count: round % 7) + user.login
                copy.email = round % 3 == 0 ? nil : "\(round)@x.example"
                return copy
            }
            state.update(.usersLoaded(generation: state.loadGeneration, users: renamed, pages: 1, done: true))
            #expect(state.users.map(\.login) == renamed.map(\.login))
            #expect(state.users.map(\.email) == renamed.map(\.email))
        }
        state.press(.character("/"))
        state.type("r39.xxxx")
        #expect(state.visible.count == 10)
    }

    @Test("a user listed again while the list loads (the loader tells repeats) stays one row, with the newer record")
    func repeatedWhileLoading() {
        var state = loadedState(users: sampleUsers(5))
        var moved = sampleUsers(5)[4]
        moved.lastName = "Moved"
        let next = User(userId: 50_000, login: "next.user", authLevel: .networkUser)
        state.update(.usersLoaded(generation: state.loadGeneration, users: [moved, next, next], pages: 2, done: false))
        #expect(state.users.map(\.userId) == sampleUsers(5).map(\.userId) + [50_000])
        #expect(state.users[4].displayName == "First4 Moved")
        #expect(state.visible.count == 6)
    }
}
