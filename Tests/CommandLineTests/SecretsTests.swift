import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Whole sessions with a known API key and a bearer login, then a search of every byte they
/// wrote — to the terminal, the history, the log, temporary files — for the key, the password
/// and any token. None may be there, and no process may carry the key in its arguments.
@Suite("Reliability: secrets never leave")
struct SecretsTests {
    /// Every file under `directory`, read whole.
    func files(under directory: String) -> [(String, [UInt8])] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [(String, [UInt8])] = []
        for case let relative as String in walker {
            let path = directory + "/" + relative
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
               let data = FileManager.default.contents(atPath: path)
            {
                found.append((relative, Array(data)))
            }
        }
        return found
    }

    /// Filters to `id`, resets it with the typed ID, reads the answer and quits, as an operator would.
    func resetInConsole(_ tmux: Tmux, _ id: String) async throws {
        try await tmux.send("/")
        try await tmux.type(id)
        try await tmux.waitFor("1–1 of 1")
        try await tmux.send("Enter", "r")
        try await tmux.waitFor("Type the user ID")
        try await tmux.type(id)
        // Enter only once the screen shows the state that makes it act.
        try await tmux.waitFor("Matches: Enter")
        try await tmux.send("Enter")
        try await tmux.waitFor("→ HTTP 200")
        try await tmux.send("q")
        try await tmux.waitFor("EXITED=0")
    }

    /// The bytes a pane wrote, once the copy holds the shell's EXITED line (written after them).
    func capturedBytes(_ path: String) async throws -> [UInt8] {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let data = FileManager.default.contents(atPath: path), data.range(of: Data("EXITED=".utf8)) != nil {
                return Array(data)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Spawn.Failure(description: "the terminal copy at \(path) never ended")
    }

    @Test("command line and console, on an API key and on a login: no key, password or token in any byte written")
    func nothingLeaks() async throws {
        var figures = ReliabilityFigures("secrets")
        try await withCLISandbox { server, base in
            let key = try #require(base["ECGRID_API_KEY"])
            let wrongKey = "sbx_wrong_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let password = SandboxAccounts.password(for: SandboxAccounts.operatorID)
            let directory = NSTemporaryDirectory() + "ecgrid-secrets-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            environment["HOME"] = directory
            environment["TMPDIR"] = directory + "/tmp"
            environment["XDG_STATE_HOME"] = directory + "/state"
            environment["XDG_CONFIG_HOME"] = directory + "/config"
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            environment["ECGRID_CONSOLE_LOG"] = directory + "/console.log"
            environment["ECGRID_CONSOLE_LOG_LEVEL"] = "trace"
            environment["LANG"] = "C.UTF-8"
            environment["TERM"] = "xterm-256color"
            environment["PATH"] = "/usr/bin:/bin"
            var targets: [String] = []
            for skip in 0..<4 { targets.append(String(try #require(await actionableUser(server, skip: skip)).userId)) }
            var written: [(String, [UInt8])] = []
            var argumentLeaks: [String] = []

            // The command line, on the key: reads, a reset, failures, the history.
            let commands: [[String]] = [
                ["whoami"], ["users", "list", "--json", "--limit", "50"], ["users", "show", targets[0], "--json"],
                ["reset", targets[0], "--yes"], ["reset", targets[1], "--yes", "--json"], ["users", "show", "99999"],
                ["history"], ["history", "--json"], ["history", "verify"], ["profiles"],
            ]
            for arguments in commands {
                let run = try await CLI.run(arguments, environment: environment)
                written.append(("\(arguments.joined(separator: " ")) output", Array(run.stdout.utf8) + Array(run.stderr.utf8)))
            }
            // A wrong key is refused and never echoed.
            var wrong = environment
            wrong["ECGRID_API_KEY"] = wrongKey
            let refused = try await CLI.run(["whoami", "--json"], environment: wrong)
            #expect(refused.status == 1)
            written.append(("whoami with a wrong key", Array(refused.stdout.utf8) + Array(refused.stderr.utf8)))

            // The console on the key, in a terminal: a reset end to end.
            written.append(("console on the key: terminal", try await withTmux { tmux in
                let capture = directory + "/terminal-key.bytes"
                try await tmux.startCaptured([CLI.binary.path], environment: environment, capture: capture)
                try await tmux.waitFor("all loaded")
                argumentLeaks += processesWithArgument(containing: key)
                try await resetInConsole(tmux, targets[2])
                return try await capturedBytes(capture)
            }))

            // The console on a login session: the password typed at the terminal, a reset, logout.
            var onLogin = environment
            onLogin["ECGRID_API_KEY"] = nil
            written.append(("console on a login: terminal", try await withTmux { tmux in
                let capture = directory + "/terminal-login.bytes"
                try await tmux.startCaptured([CLI.binary.path, "login", "--login", "sandbox.operator"], environment: onLogin, capture: capture)
                try await tmux.waitFor("Password for sandbox.operator:")
                try await tmux.type(password)
                try await tmux.send("Enter")
                try await tmux.waitFor("all loaded")
                argumentLeaks += processesWithArgument(containing: password)
                try await resetInConsole(tmux, targets[3])
                return try await capturedBytes(capture)
            }))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/auth/login") >= 1)
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/auth/logout") == 1)

            written += files(under: directory).map { ("file \($0.0)", $0.1) }
            #expect(written.contains { $0.0 == "file console.log" && !$0.1.isEmpty }, "the log was written, so its search means something")
            #expect(written.contains { $0.0 == "file history.jsonl" })
            // A JWT always starts with the base64 of '{"': eyJ.
            let needles = [("the API key", key), ("a wrong API key", wrongKey), ("the password", password), ("a token", "eyJ")]
            for (place, bytes) in written {
                let found = needles.filter { Data(bytes).range(of: Data($0.1.utf8)) != nil }.map(\.0)
                figures.record(place, problems: found.map { "\($0) found in \(place)" })
            }
            figures.record("process arguments", problems: argumentLeaks.map { "a secret in the arguments of process \($0)" })
        }
        figures.report()
    }
}
