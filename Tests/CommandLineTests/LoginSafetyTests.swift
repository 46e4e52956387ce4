import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 11, item 11: the password prompt never leaves echo off, a token that cannot be saved
/// leaves no session open, and a signal ends a login console at once even if the logout hangs.
@Suite("Logging in: terminal-safe prompts, no session left behind, a prompt end")
struct LoginSafetyTests {
    func environment(_ base: [String: String], directory: String) -> [String: String] {
        var environment = base
        environment["ECGRID_API_KEY"] = nil
        environment["LANG"] = "C.UTF-8"
        environment["TERM"] = "xterm-256color"
        environment["HOME"] = directory
        environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
        return environment
    }

    func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "ecgrid-login-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("a signal at the password prompt puts echo back", arguments: [SIGTERM, SIGINT, SIGHUP])
    func echoRestored(signalNumber: Int32) async throws {
        try await withCLISandbox(users: 10) { _, base in
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path, "login", "--login", SandboxAccounts.operatorLogin],
                                     environment: environment(base, directory: directory))
                try await tmux.waitFor("Password for sandbox.operator:")
                #expect(try await tmux.terminalModes().echo == false)
                let pid = try #require(try await tmux.consolePID())
                kill(pid, signalNumber)
                try await tmux.waitFor("EXITED=\(128 + signalNumber)")
                #expect(try await tmux.terminalModes().echo == true)
            }
        }
    }

    @Test("--save-token to a path that cannot be written logs the session out and says so")
    func unwritableTokenFile() async throws {
        try await withCLISandbox(users: 10) { server, base in
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let blocker = directory + "/file"
            _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
            try await withTmux { tmux in
                try await tmux.start(
                    [CLI.binary.path, "login", "--login", SandboxAccounts.operatorLogin, "--save-token", blocker + "/token"],
                    environment: environment(base, directory: directory), width: 160)
                try await tmux.waitFor("Password for sandbox.operator:")
                try await tmux.type(SandboxAccounts.password(for: SandboxAccounts.operatorID))
                try await tmux.send("Enter")
                let end = try await tmux.waitFor("EXITED=1", joined: true)
                #expect(end.contains("logged out on the server"))
            }
            #expect(await server.store.liveSessionCount(SandboxAccounts.operatorID) == 0)
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/auth/logout") == 1)
        }
    }

    @Test("SIGHUP and SIGTERM end a login console within 2 s even when the logout hangs", arguments: [SIGHUP, SIGTERM])
    func quickEnd(signalNumber: Int32) async throws {
        try await withCLISandbox(users: 10) { server, base in
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path, "login", "--login", SandboxAccounts.operatorLogin],
                                     environment: environment(base, directory: directory))
                try await tmux.waitFor("Password for sandbox.operator:")
                try await tmux.type(SandboxAccounts.password(for: SandboxAccounts.operatorID))
                try await tmux.send("Enter")
                try await tmux.waitFor("all loaded")
                await server.setFaults(FaultSettings(rules: [FaultRule(kind: .slow, pathPrefix: "/v2/auth/logout", delayMs: 30_000)]))
                let pid = try #require(try await tmux.consolePID())
                let sent = ContinuousClock.now
                kill(pid, signalNumber)
                while kill(pid, 0) == 0, ContinuousClock.now - sent < .seconds(20) {
                    try await Task.sleep(for: .milliseconds(20))
                }
                let took = ContinuousClock.now - sent
                #expect(took < .seconds(2), "the console took \(took) to end")
                try await tmux.waitFor("EXITED=\(128 + signalNumber)")
            }
        }
    }
}
