import ConsoleTestSupport
import Foundation
import Testing

/// Terminals that are not xterm: the frames are ECMA-48 sequences, scrolled with a scroll
/// region where the terminal has one.
@Suite("Terminal kinds", .serialized)
struct TerminalKindTests {
    @Test("a terminal without ANSI cursor sequences (vt52) is refused in words, exit 2, the terminal left as it was")
    func nonANSIRefused() async throws {
        try await Self.withConsoleEnvironment(term: "vt52") { environment in
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path], environment: environment)
                let screen = try await tmux.waitFor("EXITED=", joined: true)
                #expect(screen.contains("does not take ANSI (ECMA-48) cursor sequences"), "\(screen)")
                #expect(screen.contains("EXITED=2"), "\(screen)")
                let modes = try await tmux.terminalModes()
                #expect(modes.echo && modes.canonical)
            }
        }
    }

    @Test("a terminal without a scroll region (ansi): a list scrolled one row at a time shows every row in order")
    func noScrollRegion() async throws {
        try await Self.withConsoleEnvironment(term: "ansi") { environment in
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path], environment: environment, width: 100, height: 30)
                _ = try await tmux.waitFor("all loaded")
                // 11 rows show; 20 Downs scroll the list ten rows (the pointer stays at the bottom).
                for _ in 0..<20 { try await tmux.send("Down") }
                let screen = try await tmux.waitFor("11–21 of 300")
                let ids = screen.split(separator: "\n").compactMap { line -> Int? in
                    let fields = line.split(separator: " ").filter { $0 != "│" && $0 != "│▶" && $0 != "▶" }
                    guard line.hasPrefix("│"), let first = fields.first, first.count == 5 else { return nil }
                    return Int(first)
                }
                #expect(ids == Array(ids.first.map { $0..<($0 + 11) } ?? 0..<0) && ids.count == 11, "\(screen)")
                try await tmux.send("q")
                _ = try await tmux.waitFor("EXITED=0")
            }
        }
    }

    /// A sandbox, and the environment that runs the console on it under `term` with a history
    /// in a private directory.
    static func withConsoleEnvironment(term: String, _ body: ([String: String]) async throws -> Void) async throws {
        try await withCLISandbox { _, base in
            let directory = NSTemporaryDirectory() + "ecgrid-terminal-kind-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            environment["LANG"] = "C.UTF-8"
            environment["TERM"] = term
            try await body(environment)
        }
    }
}
