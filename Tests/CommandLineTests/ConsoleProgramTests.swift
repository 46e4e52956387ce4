import ConsoleRuntime
import ConsoleTestSupport
import ConsoleUI
import ECGridKit
import ECGridTransport
import Foundation
import IncidentLog
import Testing

@Suite("The console's loop (ConsoleProgram) on an in-memory terminal")
struct ConsoleProgramTests {
    @Test("the loop the executable runs: keys and answers in, each frame reaches the terminal as a diff, a scroll as a scroll")
    func framesAsDiffs() async throws {
        try await withMemoryConsole(users: 300) { _, console in
            try await console.waitFor("all loaded")
            let rows = console.state.userRows
            // To the bottom of the pane without scrolling, then one row further: a scroll.
            for _ in 0..<(rows - 1) { console.press(.down) }
            #expect(console.terminal.scrolls == 0)
            console.press(.down)
            #expect(console.terminal.scrolls == 1)
            #expect(console.screen.contains("2\u{2013}\(rows + 1) of 300"))
            console.press(.pageDown, .up, .home, .end)
            try await console.waitFor("\(300 - rows + 1)\u{2013}300 of 300")
            #expect(console.terminal.mismatches == 0)
            #expect(console.terminal.frames > rows)
        }
    }

    @Test("resized larger, smaller and back: every frame on the in-memory terminal is the grid")
    func resizes() async throws {
        try await withMemoryConsole(users: 300) { _, console in
            try await console.waitFor("all loaded")
            for (width, height) in [(160, 50), (80, 24), (200, 60), (100, 30)] {
                console.terminal.resize(width: width, height: height)
                console.press(.down)
                #expect(console.state.width == width && console.state.height == height)
            }
            #expect(console.terminal.mismatches == 0)
        }
    }

    /// An operator's steps, the same whatever drives the console.
    static func findAndOpenReset(_ console: some ConsoleDriver, login: String) async throws {
        try await console.waitFor("300 users loaded · all loaded", timeout: .seconds(30))
        try await console.send([.character("/")])
        try await console.type(login)
        try await console.waitFor("filter \"\(login)\": 1 match", timeout: .seconds(15))
        try await console.send([.enter, .character("r")])
        try await console.waitFor("Open sessions", timeout: .seconds(15))
        try await console.send([.escape])
        try await console.waitFor("nothing was sent", timeout: .seconds(15))
    }

    @Test("one runbook, two drivers: the in-memory console and the binary in tmux show the same steps")
    func bothDrivers() async throws {
        try await withCLISandbox { server, base in
            let directory = NSTemporaryDirectory() + "ecgrid-drivers-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let login = try #require(await server.store.user(40011)?.login)
            let transport = AsyncHTTPTransport(trust: server.trustedCA)
            let client = try await server.operatorClient(transport: transport)
            let memory = MemoryConsole(client: client, history: directory + "/memory.jsonl")
            do {
                try await Self.findAndOpenReset(memory, login: login)
            } catch {
                await memory.stop()
                await transport.shutdown()
                throw error
            }
            await memory.stop()
            await transport.shutdown()
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/tmux.jsonl"
            environment["HOME"] = directory
            environment["LANG"] = "C.UTF-8"
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path], environment: environment)
                try await Self.findAndOpenReset(tmux, login: login)
            }
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)
        }
    }

    @Test("a status note given at start is on the first frame, sent as a message; q ends run()")
    func startNoticeAndQuit() async throws {
        try await withCLISandbox(users: 20) { server, _ in
            let directory = NSTemporaryDirectory() + "ecgrid-program-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let transport = AsyncHTTPTransport(trust: server.trustedCA)
            let client = try await server.operatorClient(transport: transport)
            let recorder = ActionRecorder(
                store: HistoryStore(path: directory + "/history.jsonl"), operator: .local(), profile: nil,
                baseURL: client.baseURL.description)
            let runner = EffectRunner(client: client, recorder: recorder)
            let terminal = MemoryTerminal(width: 100, height: 30)
            let program = ConsoleProgram(backend: terminal, context: ConsoleContext(label: "SANDBOX", host: "here"), runner: runner)
            program.start(status: "Logged in as sandbox.operator.")
            #expect(terminal.screen?.text.contains("Logged in as sandbox.operator.") == true)
            #expect(program.state.status?.text == "Logged in as sandbox.operator.")
            terminal.type([.character("q")])
            // A deadline instead of a hang should q not quit.
            let deadline = ContinuousClock.now + .seconds(10)
            program.run { ContinuousClock.now > deadline }
            #expect(program.finished)
            await runner.stop(grace: .zero)
            await transport.shutdown()
        }
    }
}
