import ConsoleUI
import ECGridKit
import Testing

/// A successful escalation as the runtime reports it.
func succeededEscalation(_ action: UserAction, _ user: User, key: String? = nil) -> ActionReport {
    var after = user
    if action == .terminate { after.status = .terminated }
    let exchange = ExchangeRecord(
        request: action.request(userId: user.userId), httpStatus: 200, success: true, errorCode: nil, message: nil,
        dataSummary: action == .rotateKey ? "<redacted>" : "true", latencyMs: 9, attempts: 1)
    return ActionReport(
        outcome: ActionOutcome(action: action, userId: user.userId, before: user, after: after, sent: true, succeeded: true,
                               exchange: exchange, newKey: key.map { Secret($0) }),
        actionId: nil)
}

@Suite("Escalations in the console: new API key and terminate")
struct EscalationTests {
    @Test("K: the selected user alone, re-read, confirmed by its ID; the new key is shown once and forgotten on close")
    func rotateKey() {
        var state = loadedState(width: 120, height: 40)
        state.press(.character(" "))  // marks 40001 and moves to 40002
        let opened = state.press(.character("K"))
        #expect(opened == [.readTargets(request: 1, userIds: [40002])])
        let user = state.user(40002)!
        state.update(.targetRead(request: 1, userId: 40002, .success(user)))
        var text = state.screen
        #expect(text.contains("Generate a new API key"))
        #expect(text.contains("The current key STOPS WORKING AT ONCE"))
        #expect(text.contains("Type the user ID (40002) to confirm"))
        state.type("40001")
        #expect(state.press(.enter).isEmpty)
        for _ in 0..<5 { state.press(.backspace) }
        state.type("40002")
        #expect(state.screen.contains("Matches: Enter replaces the key now."))
        #expect(state.press(.enter) == [.act(.rotateKey, userIds: [40002], reason: nil)])
        #expect(state.screen.contains("POST /v2/users/key-generate/40002"))

        let key = "sbx_0123456789abcdef0123456789abcdef01234567"
        #expect(state.update(.actionFinished([succeededEscalation(.rotateKey, user, key: key)])) == [.loadHistory])
        text = state.screen
        #expect(text.contains("New API key · 40002 user.1"))
        #expect(text.contains(key))
        #expect(text.contains("Enter or Esc closes this and forgets the"))
        // Other keys do not close it, nor act behind it.
        #expect(state.press(.character("q"), .character("r"), .down).isEmpty)
        #expect(state.screen.contains(key))
        state.press(.enter)
        #expect(state.dialog == nil)
        text = state.screen
        #expect(!text.contains(key))
        #expect(text.contains("Meaning: a new API key was generated; the old one no longer works."))
        #expect(text.contains("data: <redacted>"))
        #expect(!String(describing: state).contains(key))
    }

    @Test("T: typing the ID does nothing; only the login, as re-read, confirms; the warning says permanent in words")
    func terminate() {
        var state = loadedState(width: 120, height: 40)
        #expect(state.press(.character("T")) == [.readTargets(request: 1, userIds: [40001])])
        #expect(state.screen.contains("Type the user's login (once read) to confirm"))
        state.type("user.0")
        #expect(state.press(.enter).isEmpty)  // not read yet
        let user = state.user(40001)!
        state.update(.targetRead(request: 1, userId: 40001, .success(user)))
        let text = state.screen
        #expect(text.contains("Terminate user"))
        #expect(text.contains("PERMANENT: terminates the account. This CANNOT BE UNDONE."))
        #expect(text.contains("Type the user's login (user.0) to confirm"))
        for _ in 0..<6 { state.press(.backspace) }
        state.type("40001")
        #expect(state.press(.enter).isEmpty)
        for _ in 0..<5 { state.press(.backspace) }
        state.press(.tab)
        state.type("INC-8")
        state.press(.tab)
        state.type("user.0")
        #expect(state.press(.enter) == [.act(.terminate, userIds: [40001], reason: "INC-8")])
        state.update(.actionFinished([succeededEscalation(.terminate, user)]))
        #expect(state.screen.contains("Meaning: the account is terminated for good (status now Terminated)"))
        #expect(state.user(40001)?.status == .terminated)
        #expect(state.dialog == nil)
    }

    @Test("Esc cancels an escalation and sends nothing; read-only disables both keys and says why")
    func cancelAndReadOnly() {
        var state = loadedState()
        state.press(.character("T"))
        #expect(state.press(.escape) == [.cancelRead(request: 1)])
        #expect(state.dialog == nil)

        var readOnly = loadedState(width: 120, height: 40, readOnly: true)
        #expect(readOnly.press(.character("K")).isEmpty)
        #expect(readOnly.screen.contains("K: read-only session: key rotation is disabled."))
        #expect(readOnly.press(.character("T")).isEmpty)
        #expect(readOnly.screen.contains("T: read-only session: termination is disabled."))
        #expect(readOnly.dialog == nil)
        readOnly.press(.character("?"))
        #expect(readOnly.screen.contains("(disabled: read-only session:"))
        #expect(readOnly.screen.contains("termination is disabled)"))
    }

    @Test("after a reset the response offers the escalation path by its keys")
    func escalationPath() {
        var state = loadedState(width: 120, height: 40)
        let user = state.user(40001)!
        state.update(.actionFinished([succeededReset(user, before: 2, after: 0)]))
        #expect(state.screen.contains("Next if needed: K new API key, then T"))
    }
}
