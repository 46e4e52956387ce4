@testable import ConsoleUI
import Foundation
import ECGridKit
import Testing

/// Issue 11: no key acts on what is not drawn, no pending work hides, no outcome is misnamed.
@Suite("Operator safety: keys, pending work and outcomes as the screen shows them")
struct OperatorSafetyTests {
    /// A user re-read for the dialog's request.
    func answerReads(_ state: inout ConsoleState, _ effects: [Effect], login: String? = nil) {
        for effect in effects {
            guard case .readTargets(let request, let ids) = effect else { continue }
            for id in ids {
                var user = state.user(id) ?? User(userId: id, login: "x")
                if let login { user.login = login }
                state.update(.targetRead(request: request, userId: id, .success(user)))
            }
        }
    }

    @Test("too small: keys never reach the hidden dialog; q quits instead of typing")
    func tooSmallRoutesNothing() {
        var state = loadedState()
        answerReads(&state, state.press(.character("K")))
        #expect(state.screen.contains("Type the user ID (40001) to confirm"))
        state.update(.resize(width: 70, height: 20))
        #expect(state.screen.contains("Terminal too small: 70×20."))
        // The ID and Enter, typed blind: nothing is sent, nothing typed.
        let blind = state.type("40001") + state.press(.enter, .tab, .escape)
        #expect(blind.isEmpty)
        guard case .confirmAction(let confirm)? = state.dialog else {
            Issue.record("the dialog closed while hidden")
            return
        }
        #expect(confirm.typed.isEmpty && confirm.reason.isEmpty)
        // q quits (nothing in flight) rather than typing into the hidden field.
        #expect(state.press(.character("q")) == [.quit])
    }

    @Test("too small with an action in flight: q asks, and the question waits for a larger window")
    func tooSmallQuitAsks() {
        var state = loadedState()
        answerReads(&state, state.press(.character("r")))
        state.type("40001")
        #expect(state.press(.enter) == [.act(.resetSessions, userIds: [40001], reason: nil)])
        state.update(.resize(width: 70, height: 20))
        #expect(state.press(.character("q")).isEmpty)
        #expect(state.dialog == .quitConfirm)
        #expect(state.screen.contains("enlarge the window to answer \"Quit?\""))
        // y, typed blind, does not quit: only the drawn question takes it.
        #expect(state.press(.character("y")).isEmpty)
        #expect(state.dialog == .quitConfirm)
        state.update(.resize(width: 80, height: 24))
        #expect(state.screen.contains("Quit anyway?"))
        #expect(state.press(.character("y")) == [.quit])
    }

    @Test("property: over random keys and resizes, no action is sent unless its confirmation was fully drawn")
    func noActionUnseen() {
        var generator = SystemRandomNumberGenerator()
        let keys: [Key] = [.up, .down, .enter, .enter, .escape, .tab, .backspace, .character(" "), .character("r"),
                           .character("K"), .character("T"), .character("4"), .character("x"), .character("y"),
                           .character("?"), .function(5), .character("/")]
        let sizes = [(80, 24), (120, 40), (79, 24), (80, 23), (40, 10), (100, 30), (0, 0)]
        var actions = 0
        // Long and hostile names too: a dialog that would not fit must not take Enter either.
        var long = User(userId: 49_999, login: "l." + String(repeating: "伟", count: 100), firstName: String(repeating: "Name ", count: 60),
                        lastName: "\u{1B}[2J" + String(repeating: "\u{202E}x", count: 50), networkId: 10, mailboxId: 0)
        long.status = .active
        let users = [long] + sampleUsers(12)
        for _ in 0..<20 {
            var state = loadedState(users: users)
            var shown = state.render().text
            for _ in 0..<150 {
                var effects: [Effect] = []
                switch Int.random(in: 0..<12, using: &generator) {
                case 0:
                    let size = sizes[Int.random(in: 0..<sizes.count, using: &generator)]
                    state.update(.resize(width: size.0, height: size.1))
                case 1:
                    // q, now and then: it quits only where the screen says so.
                    effects = state.update(.key(.character("q")))
                    if effects.contains(.quit) { effects = [] }
                case 2, 3:
                    // Clear the field and type what the open confirmation expects, key by key.
                    if case .confirmAction(let confirm)? = state.dialog {
                        let clear = confirm.field == .confirmation ? confirm.typed.count : confirm.reason.count
                        for key in Array(repeating: Key.backspace, count: clear) + confirm.expected.map(Key.character) {
                            effects += state.update(.key(key))
                            shown = state.render().text
                        }
                    }
                default:
                    effects = state.update(.key(keys[Int.random(in: 0..<keys.count, using: &generator)]))
                }
                for effect in effects {
                    switch effect {
                    case .act:
                        actions += 1
                        // The screen the operator saw when pressing the key showed the whole dialog.
                        #expect(shown.contains("Matches: Enter"), "sent unseen: \(effect)\n\(shown)")
                    default:
                        break
                    }
                }
                answerReads(&state, effects)
                shown = state.render().text
            }
        }
        #expect(actions > 0, "the property was never exercised")
    }

    @Test("a user with a very long name and login: at 80×24 the whole confirmation is drawn, so Enter acts")
    func longNamesFit() {
        let long = User(userId: 40001, login: "l." + String(repeating: "伟", count: 100), firstName: String(repeating: "Name ", count: 200),
                        lastName: "x", networkId: 10, mailboxId: 0, status: .active)
        var state = loadedState(users: [long])
        answerReads(&state, state.press(.character("K")))
        state.press(.tab)
        state.type(String(repeating: "reason ", count: 70))
        state.press(.backTab)
        state.type("40001")
        #expect(state.confirmationFullyDrawn)
        #expect(state.screen.contains("Matches: Enter replaces the key now."))
        #expect(state.press(.enter) == [.act(.rotateKey, userIds: [40001], reason: String(repeating: "reason ", count: 70).trimmingCharacters(in: .whitespaces))])
    }

    @Test("one confirmation rule: a terminate whose re-read login is empty is refused with a reason")
    func emptyLoginRefused() {
        var state = loadedState()
        answerReads(&state, state.press(.character("T")), login: "")
        let effects = state.press(.enter)
        #expect(effects.isEmpty)
        #expect(state.dialog != nil)
        #expect(state.screen.contains("Refused: user 40001's login came back empty"))
        #expect(Confirmation.expected(.terminate, targets: [1], readable: [User(userId: 1, login: " ")])
            == .refused("user 1's login came back empty from the server, so it cannot be typed to confirm a termination; check the user with the server first"))
        #expect(!Confirmation.matches("", .answer("")))
    }

    @Test("Esc cancels a pending record read, says so, and a late answer is not shown")
    func escCancelsRecordRead() {
        var state = loadedState(width: 120, height: 40)
        let effects = state.press(.enter)
        guard case .readTargets(let request, _)? = effects.last else {
            Issue.record("no read: \(effects)")
            return
        }
        #expect(state.screen.contains("reading from the server"))
        #expect(state.press(.escape) == [.cancelRead(request: request)])
        #expect(state.record == nil)
        #expect(state.screen.contains("Read of user 40001 cancelled"))
        state.update(.targetRead(request: request, userId: 40001, .success(state.user(40001)!)))
        #expect(state.record == nil)
        #expect(!state.screen.contains("as the server has it"))
        // A pending find too: cancelled, and said.
        state.press(.character("f"))
        state.type("ghost")
        guard case .find(let request, _)? = state.press(.enter).first else {
            Issue.record("no find")
            return
        }
        #expect(state.press(.escape) == [.cancelFind(request: request)])
        #expect(state.screen.contains("Find of \"ghost\" cancelled."))
    }

    @Test("Enter while the confirmation's re-read is pending says it waits for the server's re-read")
    func enterWhilePending() {
        var state = loadedState()
        let effects = state.press(.character("r"))
        state.type("40001")
        #expect(state.press(.enter).isEmpty)
        #expect(state.screen.contains("Waiting for the server's re-read"))
        answerReads(&state, effects)
        #expect(!state.screen.contains("Waiting for the server's re-read"))
        #expect(state.screen.contains("Matches: Enter"))
        #expect(state.press(.enter) == [.act(.resetSessions, userIds: [40001], reason: nil)])
    }

    @Test("F5 keeps the rows, marked stale, until the first page; Esc restores them; notices clear when work ends")
    func reloadKeepsRows() {
        var state = loadedState(width: 120, height: 40)
        state.press(.down, .down)
        let effects = state.press(.function(5))
        #expect(effects == [.cancelLoad(generation: 1), .loadUsers(generation: 2), .loadHistory])
        #expect(state.users.count == 60 && state.staleRows)
        #expect(state.screen.contains("60 users from before the reload (stale)"))
        #expect(state.selectedUser?.userId == 40003)
        // Esc during the reload: the list as it was, loading as it was.
        #expect(state.press(.escape) == [.cancelLoad(generation: 2)])
        #expect(!state.staleRows && state.load == .done && state.users.count == 60)
        #expect(state.screen.contains("60 users loaded · all loaded"))
        #expect(state.screen.contains("Reload cancelled"))
        // Again, to the end: the first page replaces the rows; the notice goes when loading ends.
        state.press(.function(5))
        #expect(state.screen.contains("Reloading users"))
        state.update(.retrying(RetryEvent(request: "POST /v2/users/list", attempt: 1, reason: "HTTP 429 RateLimitExceeded", delay: .seconds(1))))
        #expect(state.screen.contains("HTTP 429"))
        state.update(.usersLoaded(generation: state.loadGeneration, users: sampleUsers(5), pages: 1, done: false))
        #expect(state.users.count == 5 && !state.staleRows)
        // Esc after the first page still puts the whole list back.
        #expect(state.press(.escape) == [.cancelLoad(generation: state.loadGeneration)])
        #expect(state.users.count == 60 && state.load == .done && state.selectedUser?.userId == 40003)
        // Once more, to the end this time.
        state.press(.function(5))
        state.update(.usersLoaded(generation: state.loadGeneration, users: sampleUsers(5), pages: 1, done: false))
        state.update(.usersLoaded(generation: state.loadGeneration, users: [], pages: 2, done: true))
        #expect(state.users.count == 5)
        #expect(state.status == nil)
        #expect(!state.screen.contains("HTTP 429") && !state.screen.contains("Reloading users"))
    }

    @Test("a notice goes when its own work ends, not when other work does")
    func noticesFollowTheirWork() {
        var state = loadedState(width: 120, height: 40)
        answerReads(&state, state.press(.character("r")))
        state.type("40001")
        state.press(.enter)
        #expect(state.status?.text.hasPrefix("Resetting sessions") == true)
        // A record read answered meanwhile leaves the action's notice alone.
        state.press(.down)
        if case .readTargets(let request, _)? = state.press(.enter).last {
            state.update(.targetRead(request: request, userId: 40002, .success(state.user(40002)!)))
        }
        #expect(state.status?.text.hasPrefix("Resetting sessions") == true)
        // A retry of a read, then the read's answer: the retry notice goes with it.
        let effects = state.press(.enter)
        state.update(.retrying(RetryEvent(request: "GET /v2/users/40002", attempt: 1, reason: "HTTP 503", delay: .seconds(1))))
        #expect(state.screen.contains("HTTP 503: attempt 2"))
        answerReads(&state, effects)
        #expect(!state.screen.contains("HTTP 503: attempt 2"))
    }

    @Test("a lost answer is OUTCOME UNKNOWN in the header, the response and the history: never FAILED")
    func unknownIsNotFailed() {
        var state = loadedState(width: 120, height: 40)
        let user = state.user(40001)!
        var error = ECGridError(.timeout, attempts: 1, request: "POST /v2/users/reset/40001")
        error.stateChanging = true
        let lost = ActionReport(outcome: ActionOutcome(userId: 40001, before: user, sent: true, succeeded: false, error: error), actionId: nil)
        state.update(.actionFinished([lost]))
        let header = state.render().lines[1]
        #expect(header.contains("OUTCOME UNKNOWN"))
        #expect(!state.screen.contains("FAILED"))
        let two = [lost, deniedReset(state.user(40002)!)]
        state.update(.actionFinished(two))
        #expect(state.screen.contains("0 of 2 succeeded, 1 FAILED, 1 OUTCOME UNKNOWN"))
        #expect(ActionStatus.summary([.succeeded, .unknown]) == "1 of 2 succeeded, 1 OUTCOME UNKNOWN")
        #expect(lost.outcome.status == .unknown && lost.outcome.outcomeWord == "unknown")
    }

    @Test("the response pane shows only the action's own users")
    func responseOwnUsers() {
        var state = loadedState(width: 120, height: 40)
        // Enter on A reads A's record.
        if case .readTargets(let request, _)? = state.press(.enter).last {
            state.update(.targetRead(request: request, userId: 40001, .success(state.user(40001)!)))
        }
        #expect(state.screen.contains("User 40001 · user.0 · as the server has it"))
        // K on B: B's result only.
        state.press(.down)
        answerReads(&state, state.press(.character("K")))
        state.type("40002")
        #expect(state.press(.enter) == [.act(.rotateKey, userIds: [40002], reason: nil)])
        var rotated = succeededReset(state.user(40002)!, before: 1, after: 1)
        rotated.outcome.action = .rotateKey
        state.update(.actionFinished([rotated]))
        var text = state.screen
        #expect(text.contains("Generate a new API key · 40002"))
        #expect(!text.contains("User 40001 · user.0 · as the server has it"))
        // After a bulk reset, the same.
        state.press(.home)
        if case .readTargets(let request, _)? = state.press(.enter).last {
            state.update(.targetRead(request: request, userId: 40001, .success(state.user(40001)!)))
        }
        state.update(.actionFinished([succeededReset(state.user(40003)!, before: 1, after: 0),
                                     succeededReset(state.user(40004)!, before: 1, after: 0)]))
        text = state.screen
        #expect(text.contains("Reset sessions of 2 users"))
        #expect(!text.contains("User 40001 · user.0 · as the server has it"))
    }

    @Test("the reason has one limit, said when reached; the filter count says match or matches")
    func reasonLimitAndWording() {
        var state = loadedState()
        answerReads(&state, state.press(.character("r")))
        state.press(.tab)
        state.type(String(repeating: "x", count: ActionReason.maximumLength + 3))
        guard case .confirmAction(let confirm)? = state.dialog else {
            Issue.record("no dialog")
            return
        }
        #expect(confirm.reason.count == ActionReason.maximumLength)
        #expect(state.screen.contains("limit of \(ActionReason.maximumLength) characters"))
        // A long reason never pushes the typed field or the match line out of the dialog.
        state.press(.backTab)
        state.type("40001")
        #expect(state.screen.contains("Matches: Enter"))
        state.press(.escape)
        state.status = nil
        state.press(.character("/"))
        state.type("user.1")
        #expect(state.screen.contains("11 matches"))
        state.press(.backspace, .backspace, .backspace, .backspace, .backspace, .backspace)
        state.type("40059")
        #expect(state.screen.contains("1 match"))
    }
}
