import ConsoleUI
import ECGridKit
import Testing

/// Every key of every dialog comes from its binding table: what the hint bar shows is what
/// dispatches, and nothing dispatches that the table (hint, help or a typed field) does not say.
@Suite("Binding tables: hints, help and dispatch agree")
struct BindingTableTests {
    static let probes: [Key] = [
        .up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backTab, .backspace, .delete,
        .function(1), .function(5), .ctrl("c"), .ctrl("r"), .ctrl("u"),
    ] + "ayYnNqQ?jk1 /".map { Key.character($0) }

    /// A console in `mode`, set up so that every key of the mode's table has something to act on.
    static func console(in mode: DialogMode) -> ConsoleState {
        var state = loadedState(width: 120, height: 40)
        switch mode {
        case .help:
            state.press(.character("?"), .pageDown)
        case .confirm:
            state.press(.character("r"))
            state.type("4")
        case .find:
            state.press(.character("f"))
            state.type("x")
        case .finding:
            state.press(.character("f"))
            state.type("x")
            state.press(.enter)
        case .quit:
            state.press(.character("r"))
            state.update(.targetRead(request: 1, userId: 40001, .success(state.user(40001) ?? User(userId: 40001, login: "x"))))
            state.type("40001")
            state.press(.enter, .character("q"))
        case .newKey:
            state.update(.actionFinished([ActionReport(
                outcome: ActionOutcome(action: .rotateKey, userId: 40001, sent: true, succeeded: true, newKey: Secret("sbx_k")),
                actionId: nil)]))
        case .login, .loggingIn:
            state = ConsoleState(width: 120, height: 40, context: ConsoleContext(label: "S", host: "h:1", loginSession: true))
            _ = state.start()
            state.update(.operatorLoaded(.success(operatorUser)))
            state.press(.character("L"))
            state.type("pw")
            if mode == .loggingIn { state.press(.enter) }
        case .filter:
            state.press(.character("/"))
            state.type("4")
            state.press(.down, .down)
        }
        return state
    }

    /// What a key did: the effects, and whether anything the operator can see or the state holds changed.
    static func acted(_ key: Key, on state: ConsoleState) -> Bool {
        var after = state
        let effects = after.update(.key(key))
        return !effects.isEmpty || after.dialog != state.dialog || after.screen != state.screen
            || after.filterEditing != state.filterEditing
    }

    static func mode(of state: ConsoleState) -> DialogMode? {
        state.dialog?.mode ?? (state.filterEditing ? .filter : nil)
    }

    @Test("each mode: the hint bar is the table's; every key of the table acts; every key that acts is in the table and shown",
          arguments: DialogMode.allCases)
    func agree(mode: DialogMode) {
        let state = Self.console(in: mode)
        #expect(Self.mode(of: state) == mode, "set-up reached \(String(describing: Self.mode(of: state)))")
        let hintBar = state.render().lines.last ?? ""
        let hints = mode == .filter ? String(mode.hints.drop { $0 == " " }) : mode.hints
        #expect(hintBar.contains(hints), "hint bar: \(hintBar)")
        for row in mode.bindings {
            // A row the operator cannot learn of is a key that hides.
            #expect(row.hint != nil || row.help != nil || row.types, "\(mode): \(row.keys) neither hinted nor in help")
            for key in row.keys {
                #expect(Self.acted(key, on: state), "\(mode): \(key) is in the table but does nothing")
            }
        }
        for key in Self.probes where Self.acted(key, on: state) {
            #expect(mode.command(for: key) != nil, "\(mode): \(key) acts but is not in the table")
        }
        for key in Self.probes where mode.command(for: key) == nil {
            #expect(!Self.acted(key, on: state), "\(mode): \(key) is not in the table but acts")
        }
    }

    @Test("the main view: every hinted key acts, and a key outside the table does nothing")
    func mainView() {
        var state = loadedState(width: 120, height: 40)
        state.press(.down, .down, .down)
        let hintBar = state.render().lines.last ?? ""
        for binding in KeyBindings.table {
            if let hint = binding.hint { #expect(hintBar.contains(hint), "\(hint) not in the hint bar") }
            guard binding.hint != nil else { continue }
            for key in binding.keys { #expect(Self.acted(key, on: state), "\(key) is hinted but does nothing") }
        }
        for key in Self.probes where KeyBindings.table.allSatisfy({ !$0.keys.contains(key) }) {
            #expect(!Self.acted(key, on: state), "\(key) acts but is not in the binding table")
        }
    }

    @Test("the confirmation's help lines and the man page's come from its table")
    func confirmationHelp() {
        #expect(KeyBindings.dialogHelp.map(\.0) == ["Enter", "Tab", "Esc"])
        for (key, help) in KeyBindings.dialogHelp {
            #expect(DialogBindings.confirm.contains { $0.keys.first?.description == key && $0.help == help })
        }
        var state = loadedState(width: 120, height: 60)
        state.press(.character("?"))
        #expect(state.screen.contains("Switch between the confirmation and the reason field"))
    }
}
