import ConsoleUI
import ECGridKit
import Testing

@Suite("Copy over SSH: y and Y by OSC 52")
struct ClipboardTests {
    @Test("OSC 52 bytes: ESC ] 52 ; c ; base64 BEL, padded base64 as RFC 4648 says")
    func sequenceBytes() {
        #expect(Clipboard.osc52("40011") == Array("\u{1B}]52;c;NDAwMTE=\u{07}".utf8))
        #expect(Clipboard.base64(Array("f".utf8)) == Array("Zg==".utf8))
        #expect(Clipboard.base64(Array("fo".utf8)) == Array("Zm8=".utf8))
        #expect(Clipboard.base64(Array("foo".utf8)) == Array("Zm9v".utf8))
        #expect(Clipboard.base64(Array("王 ✓".utf8)) == Array("546LIOKckw==".utf8))
        #expect(Clipboard.base64([]) == [])
    }

    @Test("What is copied holds no control character: escapes, BEL, bidi overrides are dropped; lines stay")
    func sanitised() {
        let copied = Clipboard.sanitize("Mallory \u{1B}[31mRED\u{07}\u{1B}]52;c;AAAA\u{07}\nInvoice\u{202E}fdp.exe  \n\u{9B}2J")
        #expect(copied == "Mallory [31mRED]52;c;AAAA\nInvoicefdp.exe\n2J")
        #expect(!copied.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test("y copies the selected user's ID and says so in the status line")
    func copyID() {
        var state = loadedState()
        state.press(.down, .down)
        #expect(state.press(.character("y")) == [.copy(text: "40003")])
        #expect(state.screen.contains("Copied user ID 40003 (OSC 52)"))
    }

    @Test("Y copies the record pane as text, sanitised; with nothing in the pane it copies nothing and says why")
    func copyRecord() {
        var state = loadedState(width: 120, height: 40)
        #expect(state.press(.character("Y")).isEmpty)
        #expect(state.screen.contains("nothing in the record or response pane yet"))
        state.press(.down, .down, .down, .down, .down)  // 40006: the name with escape sequences
        let user = state.user(40006)!
        #expect(state.press(.enter) == [.readTargets(request: 1, userIds: [40006])])
        state.update(.targetRead(request: 1, userId: 40006, .success(user)))
        guard case .copy(let text) = state.press(.character("Y")).first else {
            Issue.record("no copy effect")
            return
        }
        #expect(text.hasPrefix("User 40006 · user.5 · as the server has it\nName"))
        #expect(text.contains("Mallory [31mRED[0m[2J"))
        #expect(!text.contains("\u{1B}"))
        #expect(state.screen.contains("Copied the user record ("))
    }

    @Test("A new API key is never copied: y and Y do nothing while it shows, and the response pane never holds it")
    func neverTheNewKey() {
        var state = loadedState(width: 120, height: 40)
        state.press(.down)
        state.press(.character("K"))
        let user = state.user(40002)!
        state.update(.targetRead(request: 1, userId: 40002, .success(user)))
        state.type("40002")
        #expect(state.press(.enter) == [.act(.rotateKey, userIds: [40002], reason: nil)])
        let key = "sbx_0123456789abcdef0123456789abcdef01234567"
        state.update(.actionFinished([succeededEscalation(.rotateKey, user, key: key)]))
        #expect(state.screen.contains(key))
        #expect(state.press(.character("y"), .character("Y")).isEmpty)
        state.press(.enter)
        let copied = state.press(.character("Y"))
        #expect(copied.count == 1)
        for effect in copied {
            guard case .copy(let text) = effect else { continue }
            #expect(text.contains("POST /v2/users/key-generate/40002"))
            #expect(!text.contains(key))
        }
    }

    @Test("Inside tmux or screen, help and the status note say set-clipboard must be on")
    func multiplexerHelp() {
        #expect(ConsoleContext.multiplexer(in: ["TERM": "tmux-256color"]) == "tmux")
        #expect(ConsoleContext.multiplexer(in: ["TERM": "screen.xterm-256color"]) == "screen")
        #expect(ConsoleContext.multiplexer(in: ["TERM": "xterm-256color"]) == nil)
        var state = ConsoleState(
            width: 100, height: 60, context: ConsoleContext(label: "SANDBOX", host: "h:1", multiplexer: "tmux"))
        _ = state.start()
        _ = state.update(.usersLoaded(generation: state.loadGeneration, users: sampleUsers(3), pages: 1, done: true))
        state.press(.character("?"))
        #expect(state.screen.contains("Copy the selected user's ID"))
        #expect(state.screen.contains("set-clipboard on"))
        var plain = loadedState(width: 100, height: 60)
        plain.press(.character("?"))
        #expect(!plain.screen.contains("set-clipboard on"))
        state.press(.escape)
        state.press(.character("y"))
        #expect(state.screen.contains("Copied user ID 40001 (OSC 52); in tmux it needs set-clipboard on"))
    }
}
