import ConsoleRuntime
import ConsoleTestSupport
import ConsoleUI
import ECGridKit
import Foundation
import IncidentLog
import Testing

@Suite("The console's loop (ConsoleProgram) on an in-memory terminal")
struct ConsoleProgramTests {
    @Test("the loop the executable runs: keys and answers in, each frame reaches the terminal as a diff, a scroll as a scroll")
    func framesAsDiffs() async throws {
        try await withCLISandbox(users: 300) { server, _ in
            let directory = NSTemporaryDirectory() + "ecgrid-program-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let transport = AsyncHTTPTransport(trust: server.trustedCA)
            let client = try await server.operatorClient(transport: transport)
            let console = MemoryConsole(client: client, history: directory + "/history.jsonl")
            do {
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
            } catch {
                await console.stop()
                await transport.shutdown()
                throw error
            }
            await console.stop()
            await transport.shutdown()
        }
    }

    @Test("a status note given at start is on the first frame, sent as a message; q ends run()")
    func statusNoteAndQuit() async throws {
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
            let program = ConsoleProgram(backend: terminal, environment: Environment(label: "SANDBOX", host: "here"), runner: runner)
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
