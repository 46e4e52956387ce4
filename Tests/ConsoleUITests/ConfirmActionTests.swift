import ConsoleUI
import ECGridKit
import Testing

@Suite("One confirmation for every action: its words come from the action")
struct ConfirmActionTests {
    static let keys: [UserAction: Key] = [.resetSessions: .character("r"), .rotateKey: .character("K"), .terminate: .character("T")]
    static let cancelled: [UserAction: String] = [
        .resetSessions: "Reset cancelled; nothing was sent.",
        .rotateKey: "Key rotation cancelled; nothing was sent.",
        .terminate: "Termination cancelled; nothing was sent.",
    ]

    @Test("Esc on each action's dialog says that action was cancelled, never another's", arguments: UserAction.standalone)
    func cancelWords(action: UserAction) throws {
        var state = loadedState(width: 120, height: 40)
        let key = try #require(Self.keys[action])
        #expect(state.press(key) == [.readTargets(request: 1, userIds: [40001])])
        guard case .confirmAction(let confirm)? = state.dialog else {
            Issue.record("no confirmation for \(action)")
            return
        }
        #expect(confirm.action == action)
        #expect(state.screen.contains(action.title))
        #expect(state.press(.escape) == [.cancelRead(request: 1)])
        #expect(state.dialog == nil && state.actionsInFlight == 0)
        let screen = state.screen
        #expect(screen.contains(try #require(Self.cancelled[action])))
        for (other, words) in Self.cancelled where other != action {
            #expect(!screen.contains(words), "\(action) said \(words)")
        }
    }

    @Test("each action goes out as one act effect and comes back as one message, its words its own",
          arguments: UserAction.standalone)
    func onePipeline(action: UserAction) throws {
        var state = loadedState(width: 120, height: 40)
        let user = try #require(state.user(40001))
        state.press(try #require(Self.keys[action]))
        state.update(.targetRead(request: 1, userId: 40001, .success(user)))
        state.type(action == .terminate ? user.login : "40001")
        #expect(state.press(.enter) == [.act(action, userIds: [40001], reason: nil)])
        #expect(state.screen.contains(action.request(userId: 40001)))
        let report = ActionReport(
            outcome: ActionOutcome(action: action, userId: 40001, before: user, after: user, sent: true, succeeded: true,
                                   newKey: action == .rotateKey ? Secret("sbx_new") : nil),
            actionId: "a1")
        #expect(state.update(.actionFinished([report])) == [.loadHistory])
        #expect(state.actionsInFlight == 0)
        let header = state.render().lines[1]
        #expect(header.contains(action == .resetSessions ? "Reset sessions: done" : "\(action.title) for 40001: done"))
        if action == .rotateKey { state.press(.enter) }
        #expect(state.screen.contains("\(action.title) · 40001 user.0"))
    }

    @Test("read-only: each action's key says in its own words why it is off")
    func readOnlyWords() {
        var state = loadedState(width: 120, height: 40, readOnly: true)
        for (action, words) in [(UserAction.resetSessions, "resets are disabled"), (.rotateKey, "key rotation is disabled"),
                                (.terminate, "termination is disabled")] {
            #expect(state.press(Self.keys[action] ?? .escape).isEmpty)
            #expect(state.screen.contains("read-only session: \(words)"))
            #expect(DisabledReason.readOnly(action).description == "read-only session: \(words)")
        }
    }
}

@Suite("The text field every input edits through")
struct TextFieldTests {
    @Test("printable characters up to the limit, Backspace erases, controls are not text")
    func editing() {
        var field = TextField(limit: 3)
        #expect(field.apply(.character("a")) == .changed)
        #expect(field.apply(.character("\u{1B}")) == .ignored)
        #expect(field.apply(.tab) == .ignored)
        field.apply(.character("b"))
        field.apply(.character("c"))
        #expect(field.apply(.character("d")) == .full)
        #expect(field.text == "abc")
        #expect(field.apply(.backspace) == .changed)
        #expect(field.text == "ab")
        field.clear()
        #expect(field.apply(.backspace) == .ignored)
    }

    @Test("shown with its end kept and the cursor of the glyph set")
    func shown() {
        var field = TextField(limit: 20)
        for character in "abcdefgh" { field.apply(.character(character)) }
        #expect(field.shown(tail: 4, focused: true, glyphs: .unicode) == "…fgh▏")
        #expect(field.shown(tail: 4, focused: false, glyphs: .ascii) == "~fgh")
        #expect(field.shown(focused: true, glyphs: .ascii) == "abcdefgh_")
        #expect(Glyphs.ascii.isASCII && !Glyphs.unicode.isASCII)
    }
}
