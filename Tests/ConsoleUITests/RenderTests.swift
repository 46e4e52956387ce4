import ConsoleUI
import ECGridKit
import Testing

@Suite("Rendering into the cell grid")
struct RenderTests {
    @Test("80×24: header in words, users, panes and hint bar; every row exactly 80 columns", arguments: [(80, 24), (120, 40)])
    func layout(width: Int, height: Int) {
        let state = loadedState(width: width, height: height)
        let grid = state.render()
        let lines = grid.lines
        #expect(lines.count == height)
        for line in lines { #expect(TerminalText.width(line) == width) }
        #expect(lines[0].contains("ECGrid console · SANDBOX · 127.0.0.1:8026 · sandbox.operator (TechOps)"))
        #expect(lines[1].contains("60 users loaded · all loaded"))
        #expect(lines[2].hasPrefix("┌─ ▶ Users"))
        #expect(lines[3].contains("ID LOGIN"))
        #expect(lines[4].contains("▶") && lines[4].contains("40001"))
        #expect(grid.text.contains("User record"))
        #expect(grid.text.contains("Enter reads the selected user"))
        #expect(grid.text.contains("History (0)"))
        for hint in ["/ filter", "f find", "Space mark", "r reset", "Tab pane", "F5 reload", "? help", "q quit"] {
            #expect(lines[height - 1].contains(hint))
        }
        #expect(lines[height - 1].contains("↑↓ move") == (width >= 100))
        #expect(lines[height - 1].contains("Enter record") == (width >= 100))
    }

    @Test("hostile names reach the grid inert; wide names keep the columns aligned")
    func hostileAndWide() {
        var state = loadedState(width: 120, height: 40)
        let text = state.screen
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x07 })
        #expect(text.contains("^[[31mRED"))
        #expect(text.contains("Invoice<U+202E>fdp.exe"))
        #expect(text.contains("伟 王"))
        // Rows with wide, hostile and plain names: the right border stays in the last column.
        let lines = state.render().lines
        for y in 4..<20 { #expect(lines[y].hasSuffix("│"), "row \(y): \(lines[y])") }
        let statusColumns = lines[4..<20].map { line -> Int in
            let prefix = line.components(separatedBy: "Active").first ?? ""
            return TerminalText.width(prefix)
        }
        #expect(Set(statusColumns).count == 1)
        state.press(.end)
        #expect(state.render().lines.allSatisfy { TerminalText.width($0) == 120 })
    }

    @Test("ASCII borders and markers when the locale is not UTF-8; no byte above 127")
    func asciiMode() {
        let state = loadedState(ascii: true)
        let text = state.screen
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.contains("+- > Users"))
        #expect(text.contains("ECGrid console | SANDBOX"))
    }

    @Test("smaller than 80×24: a clear notice instead of the panes")
    func tooSmall() {
        var state = loadedState()
        state.update(.resize(width: 60, height: 20))
        #expect(state.screen.contains("Terminal too small: 60×20."))
        #expect(state.screen.contains("needs at least 80×24"))
        state.update(.resize(width: 80, height: 24))
        #expect(state.screen.contains("▶ Users"))
        state.update(.resize(width: 10, height: 3))
        #expect(state.render().lines.count == 3)
        state.update(.resize(width: 0, height: 0))
        #expect(state.render().lines.isEmpty)
    }

    @Test("resizing with the confirmation open keeps the dialog and what was typed, at every size")
    func resizeWithDialog() {
        var state = loadedState()
        let user = state.user(40001)!
        state.press(.character("r"))
        state.update(.targetRead(request: 1, userId: 40001, .success(user)))
        state.type("400")
        for (width, height) in [(120, 40), (60, 20), (80, 24), (200, 60), (81, 25)] {
            state.update(.resize(width: width, height: height))
            let lines = state.render().lines
            #expect(lines.count == height)
            #expect(lines.allSatisfy { TerminalText.width($0) == width })
        }
        #expect(state.screen.contains("Type the user ID (40001) to confirm: 400"))
        state.type("01")
        #expect(state.press(.enter) == [.act(.resetSessions, userIds: [40001], reason: nil)])
    }

    @Test("READ-ONLY in words; the reset key says why it is off, in the hint bar and in help")
    func readOnly() {
        var state = loadedState(readOnly: true)
        #expect(state.render().lines[0].contains("SANDBOX · READ-ONLY ·"))
        #expect(state.render().lines[23].contains("r reset (off: read-only)"))
        let effects = state.press(.character("r"))
        #expect(effects.isEmpty && state.dialog == nil)
        #expect(state.screen.contains("read-only session: resets are disabled"))
        state.press(.character("?"))
        #expect(state.screen.contains("(disabled: read-only session: resets are disabled)"))
    }

    @Test("help lists every binding of the table")
    func help() throws {
        var state = loadedState(width: 120, height: 40)
        state.press(.character("?"))
        let text = state.screen
        for binding in KeyBindings.table { #expect(text.contains(binding.keyLabel), "\(binding.keyLabel)") }
        // A description that wraps keeps its column (a hanging indent under the keys).
        let lines = state.render().lines
        let first = try #require(lines.firstIndex { $0.contains("Filter loaded users") })
        let line = Array(lines[first])
        let continuation = Array(lines[first + 1])
        let column = try #require((0..<line.count).first { String(line[$0...]).hasPrefix("Filter loaded") })
        #expect(continuation[column] != " ")
        #expect(continuation[(column - 14)..<column].allSatisfy { $0 == " " })
        state.press(.escape)
        #expect(state.dialog == nil)
    }

    @Test("while loading: progress in the header, and a message before the first page")
    func loading() {
        var state = ConsoleState(width: 80, height: 24, context: ConsoleContext(label: "SANDBOX", host: "h:1"))
        _ = state.start()
        #expect(state.screen.contains("Loading users from h:1…"))
        state.update(.usersLoaded(generation: state.loadGeneration, users: sampleUsers(100), pages: 1, done: false))
        #expect(state.render().lines[1].contains("100 users loaded · more on server (page 2…)"))
        // A batch from an old generation (before a reload) is ignored.
        state.update(.usersLoaded(generation: state.loadGeneration - 1, users: sampleUsers(120), pages: 2, done: true))
        #expect(state.users.count == 100)
    }
}
