import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The accessible line mode through the real binary in a terminal (tmux, every byte it writes
/// captured): what a screen reader needs is asserted, since none runs here: linear text, no
/// escape sequence, no line wider than the terminal, one prompt a line, answers typed as lines.
@Suite("The accessible line mode in a terminal")
struct AccessibleModeTests {
    func environment(_ base: [String: String], history: String) -> [String: String] {
        var environment = base
        environment["ECGRID_CONSOLE_HISTORY"] = history
        environment["LANG"] = "C.UTF-8"
        return environment
    }

    @Test("a whole containment as a transcript: typed lines only, no escape sequence, no line over 80 columns, the password said once")
    func containment() async throws {
        try await withCLISandbox(users: 60) { server, base in
            let directory = NSTemporaryDirectory() + "ecgrid-accessible-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let history = directory + "/history.jsonl"
            let capture = directory + "/transcript"
            let id = 40011
            _ = try await server.store.openSession(for: id)
            try await withTmux { tmux in
                try await tmux.startCaptured(
                    [CLI.binary.path, "--accessible"], environment: environment(base, history: history), capture: capture,
                    width: 80, height: 40)
                try await tmux.waitFor("Type help for the commands")
                try await tmux.waitFor("ecgrid>")
                try await tmux.type("find \(id)")
                try await tmux.send("Enter")
                try await tmux.waitFor("#1: \(id)")
                try await tmux.type("contain #1")
                try await tmux.send("Enter")
                try await tmux.waitFor("type the numbers of the steps", joined: true)
                try await tmux.send("Enter")
                try await tmux.waitFor("Reason or ticket", joined: true)
                try await tmux.type("INC-7")
                try await tmux.send("Enter")
                try await tmux.waitFor("or an empty line to cancel", joined: true)
                try await tmux.type(String(id))
                try await tmux.send("Enter")
                try await tmux.waitFor("it will not be shown again", joined: true)
                try await tmux.send("Enter")
                try await tmux.waitFor("Watching 1 contained user", joined: true)
                try await tmux.type("quit")
                try await tmux.send("Enter")
                try await tmux.waitFor("EXITED=0")
            }
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: capture)))
            #expect(!bytes.contains(0x1B), "an escape sequence reached the terminal")
            let transcript = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r", with: "")
            for line in transcript.split(separator: "\n") {
                #expect(TerminalText.width(String(line)) <= 80, "a line wider than the terminal: \(line)")
            }
            #expect(transcript.contains("Step 1, password: succeeded"))
            #expect(transcript.contains("Step 2, sessions: succeeded"))
            #expect(transcript.contains("Step 3, keys: succeeded"))
            let password = try #require(await server.store.password(of: id))
            #expect(transcript.components(separatedBy: password).count == 2, "the password is said exactly once")
            #expect(!(try String(contentsOfFile: history, encoding: .utf8)).contains(password))
            #expect(await server.store.liveSessionCount(id) == 0)
            #expect(await server.store.apiKeys(of: id).isEmpty)
        }
    }

    @Test("an empty line cancels a confirmation and sends nothing; read-only refuses in words")
    func cancel() async throws {
        try await withCLISandbox(users: 30) { server, base in
            let directory = NSTemporaryDirectory() + "ecgrid-accessible-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let input = "reset 40011\n\n\nterminate 40012\n\nwrong\nquit\n"
            let run = try await CLI.runInTerminal(["--accessible"], environment: environment(base, history: directory + "/h.jsonl"), input: input)
            #expect(run.status == 0, "\(run.stdout)")
            #expect(run.stdout.contains("Type 40011 (the ID) to reset the sessions of 40011"), "\(run.stdout)")
            #expect(run.stdout.contains("Cancelled; nothing was sent."))
            #expect(run.stdout.contains("That does not match; nothing was sent."))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)
            #expect(await server.store.count(method: "DELETE", pathPrefix: "/v2/users/") == 0)
            let readOnly = try await CLI.runInTerminal(
                ["--accessible", "--read-only"], environment: environment(base, history: directory + "/h.jsonl"), input: "contain 40011\nquit\n")
            #expect(readOnly.stdout.contains("Read-only mode: contain changes state and is refused; nothing was sent."))
        }
    }

    @Test("SIGINT (Ctrl-C) and SIGHUP end it with 130 and 129, saying so, the terminal's modes as they were", arguments: [SIGINT, SIGHUP])
    func signals(signalNumber: Int32) async throws {
        try await withCLISandbox(users: 30) { _, base in
            let directory = NSTemporaryDirectory() + "ecgrid-accessible-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path, "--accessible"], environment: environment(base, history: directory + "/h.jsonl"))
                try await tmux.waitFor("ecgrid>")
                let before = try await tmux.terminalModes()
                // The signal goes to the program alone: Ctrl-C in tmux would reach the test's
                // wrapper shell as well, which is not what an operator's interactive shell does.
                kill(try #require(try await tmux.consolePID()), signalNumber)
                try await tmux.waitFor("EXITED=\(128 + signalNumber)")
                let screen = try await tmux.screen()
                #expect(screen.contains("Interrupted by \(signalNumber == SIGINT ? "SIGINT" : "SIGHUP")"), "\(screen)")
                let after = try await tmux.terminalModes()
                #expect(after.echo == before.echo && after.canonical == before.canonical && after.echo && after.canonical)
            }
        }
    }
}
