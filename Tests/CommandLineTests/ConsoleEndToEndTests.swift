import ConsoleTestSupport
import ECGridKit
import ECGridTransport
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("The console end to end, in tmux, against a sandbox")
struct ConsoleEndToEndTests {
    func consoleEnvironment(_ base: [String: String], history: String) -> [String: String] {
        var environment = base
        environment["LANG"] = "C.UTF-8"
        environment["TERM"] = "xterm-256color"
        environment["HOME"] = NSTemporaryDirectory()
        environment["ECGRID_CONSOLE_HISTORY"] = history
        return environment
    }

    func historyPath() -> String { NSTemporaryDirectory() + "ecgrid-e2e-\(UUID().uuidString)/history.jsonl" }

    @Test("an operator's incident: filter, reset with the typed ID, read the answer and the history, resize, quit")
    func incident() async throws {
        try await withCLISandbox { server, base in
            let history = historyPath()
            defer { try? FileManager.default.removeItem(atPath: (history as NSString).deletingLastPathComponent) }
            let target = 40011
            let login = try #require(await server.store.user(target)?.login)
            let token = try await server.store.openSession(for: target)
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path], environment: consoleEnvironment(base, history: history))
                try await tmux.waitFor("300 users loaded · all loaded")
                #expect(try await tmux.alternateScreen() == "1")
                // The key reached the console through its environment, never its arguments.
                let key = try #require(base["ECGRID_API_KEY"])
                #expect(processesWithArgument(containing: key).isEmpty)
                try await tmux.send("/")
                try await tmux.type(login)
                try await tmux.waitFor("filter \"\(login)\": 1 match")
                try await tmux.send("Enter", "r")
                try await tmux.waitFor("Open sessions")
                // A wrong ID does nothing.
                try await tmux.type("40012")
                try await tmux.send("Enter")
                try await tmux.waitFor("Does not match: Enter does nothing.")
                #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)
                for _ in 0..<5 { try await tmux.send("BSpace") }
                try await tmux.send("Tab")
                try await tmux.type("INC-2026")
                try await tmux.send("Tab")
                try await tmux.type(String(target))
                // Enter only once the screen shows the state that makes it act.
                try await tmux.waitFor("Matches: Enter")
                try await tmux.send("Enter")
                let screen = try await tmux.waitFor("→ HTTP 200")
                #expect(screen.contains("POST /v2/users/reset/\(target)"))
                #expect(screen.contains("every bearer session is revoked"))
                try await tmux.waitFor("succeeded reset \(target)")
                // The sandbox agrees: no live session, and the old token is refused.
                #expect(await server.store.liveSessionCount(target) == 0)
                #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset/\(target)") == 1)
                let transport = AsyncHTTPTransport(trust: server.trustedCA)
                let asTarget = ECGridClient(baseURL: try BaseURL(server.baseURL), transport: transport,
                                            credentials: StaticCredential(.bearer(Secret(token))))
                var refused: ECGridError?
                do { _ = try await asTarget.me() } catch let error as ECGridError { refused = error }
                await transport.shutdown()
                #expect(refused?.errorCode == "InvalidSession")
                // The history has the reason.
                let records = try HistoryStore(path: history).records()
                #expect(records.count == 2 && records.allSatisfy { $0.reason == "INC-2026" })

                try await tmux.resize(width: 70, height: 20)
                try await tmux.waitFor("Terminal too small: 70×20.")
                try await tmux.resize(width: 120, height: 40)
                try await tmux.waitFor("▶ Users")
                try await tmux.send("q")
                try await tmux.waitFor("EXITED=0")
                #expect(try await tmux.alternateScreen() == "0")
            }
        }
    }

    @Test("Esc cancels the confirmation and nothing is sent; a 403 shows what it means")
    func cancelAndDenied() async throws {
        try await withCLISandbox { server, base in
            let history = historyPath()
            defer { try? FileManager.default.removeItem(atPath: (history as NSString).deletingLastPathComponent) }
            var environment = consoleEnvironment(base, history: history)
            environment["ECGRID_API_KEY"] = await server.store.apiKey(of: SandboxAccounts.viewerID)
            // A user the viewer can see (network 10) but may not reset.
            var target = 0
            for id in SandboxAccounts.firstGeneratedID..<(SandboxAccounts.firstGeneratedID + 297) {
                if let user = await server.store.user(id), user.networkId == 10, user.authLevel == .mailboxUser { target = id; break }
            }
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path], environment: environment)
                try await tmux.waitFor("sandbox.viewer (NetworkUser)")
                try await tmux.waitFor("all loaded")
                try await tmux.send("/")
                try await tmux.type(String(target))
                try await tmux.send("Enter", "r")
                try await tmux.waitFor("Open sessions")
                try await tmux.type(String(target))
                // A resize with the dialog open keeps it and what was typed.
                try await tmux.resize(width: 70, height: 20)
                try await tmux.waitFor("Terminal too small: 70×20.")
                try await tmux.resize(width: 100, height: 30)
                try await tmux.waitFor("to confirm: \(target)")
                try await tmux.send("Escape")
                try await tmux.waitFor("Reset cancelled; nothing was sent.")
                #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)

                try await tmux.send("r")
                try await tmux.waitFor("Open sessions")
                try await tmux.type(String(target))
                // Enter only once the screen shows the state that makes it act.
                try await tmux.waitFor("Matches: Enter")
                try await tmux.send("Enter")
                let screen = try await tmux.waitFor("→ HTTP 403")
                #expect(screen.contains("AccessDenied"))
                #expect(screen.contains("AuthLevel is too low"))
                try await tmux.waitFor("FAILED reset \(target)")
                try await tmux.send("q")
                try await tmux.waitFor("EXITED=0")
            }
        }
    }

    @Test("escalations: K shows the new key once and the old one stops working; T needs the login and terminates")
    func escalations() async throws {
        try await withCLISandbox { server, base in
            let history = historyPath()
            defer { try? FileManager.default.removeItem(atPath: (history as NSString).deletingLastPathComponent) }
            let target = 40011
            let login = try #require(await server.store.user(target)?.login)
            let oldKey = try #require(await server.store.apiKey(of: target))
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path], environment: consoleEnvironment(base, history: history))
                try await tmux.waitFor("all loaded")
                try await tmux.send("/")
                try await tmux.type(login)
                try await tmux.send("Enter", "K")
                try await tmux.waitFor("STOPS WORKING AT ONCE")
                try await tmux.waitFor("Type the user ID (\(target)) to confirm")
                try await tmux.type(String(target))
                // Enter only once the screen shows the state that makes it act.
                try await tmux.waitFor("Matches: Enter")
                try await tmux.send("Enter")
                try await tmux.waitFor("New API key · \(target)")
                let newKey = try #require(await server.store.apiKey(of: target))
                #expect(newKey != oldKey)
                try await tmux.waitFor(newKey)
                try await tmux.send("Enter")
                try await tmux.waitUntilGone(newKey)
                try await tmux.waitFor("Meaning: a new API key was generated")
                let text = try String(contentsOfFile: history, encoding: .utf8)
                #expect(!text.contains(newKey) && !text.contains(oldKey))

                try await tmux.send("T")
                try await tmux.waitFor("CANNOT BE UNDONE")
                try await tmux.waitFor("Type the user's login (\(login)) to confirm")
                try await tmux.type(String(target))
                try await tmux.send("Enter")
                try await tmux.waitFor("Does not match: Enter does nothing.")
                #expect(await server.store.count(method: "DELETE", pathPrefix: "/v2/users/") == 0)
                for _ in 0..<5 { try await tmux.send("BSpace") }
                try await tmux.type(login)
                // Enter only once the screen shows the state that makes it act.
                try await tmux.waitFor("Matches: Enter")
                try await tmux.send("Enter")
                try await tmux.waitFor("the account is terminated for good")
                #expect(await server.store.user(target)?.status == .terminated)
                let records = try HistoryStore(path: history).records()
                #expect(records.map(\.action) == ["generate-api-key", "generate-api-key", "terminate-user", "terminate-user"])
                try await tmux.send("q")
                try await tmux.waitFor("EXITED=0")
            }
        }
    }

    @Test("login: password not echoed, session context shown; revoked mid-run, the console offers to log in again; logout on exit")
    func loginSession() async throws {
        try await withCLISandbox(users: 40) { server, base in
            let history = historyPath()
            defer { try? FileManager.default.removeItem(atPath: (history as NSString).deletingLastPathComponent) }
            var environment = consoleEnvironment(base, history: history)
            environment["ECGRID_API_KEY"] = nil
            let password = SandboxAccounts.password(for: SandboxAccounts.operatorID)
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path, "login", "--login", SandboxAccounts.operatorLogin], environment: environment)
                try await tmux.waitFor("Password for sandbox.operator:")
                try await tmux.type(password)
                #expect(!(try await tmux.screen()).contains(password))
                try await tmux.send("Enter")
                let screen = try await tmux.waitFor("all loaded")
                #expect(screen.contains("sandbox.operator (TechOps)"))
                #expect(screen.contains("Logged in as sandbox.operator (TechOps)"))
                #expect(await server.store.liveSessionCount(SandboxAccounts.operatorID) == 1)

                // Someone resets the operator's own sessions.
                let transport = AsyncHTTPTransport(trust: server.trustedCA)
                let admin = try await server.operatorClient(transport: transport)
                _ = try await admin.resetSessions(userId: SandboxAccounts.operatorID)
                await transport.shutdown()
                try await tmux.send("F5")
                try await tmux.waitFor("Log in again")
                try await tmux.waitFor("ended or was revoked (InvalidSession)")
                try await tmux.type(password)
                #expect(!(try await tmux.screen()).contains(password))
                try await tmux.send("Enter")
                try await tmux.waitFor("Logged in again as sandbox.operator")
                try await tmux.send("F5")
                try await tmux.waitFor("40 users loaded · all loaded")
                try await tmux.send("q")
                let end = try await tmux.waitFor("EXITED=0")
                #expect(end.contains("Logged out."))
                #expect(!end.contains(password))
                #expect(await server.store.liveSessionCount(SandboxAccounts.operatorID) == 0)
                #expect(await server.store.count(method: "POST", pathPrefix: "/v2/auth/logout") == 1)
            }
        }
    }

    @Test("login --save-token writes the token to a 0600 file only, leaves that session open, and ECGRID_TOKEN_FILE uses it")
    func savedToken() async throws {
        try await withCLISandbox(users: 30) { server, base in
            let history = historyPath()
            let directory = (history as NSString).deletingLastPathComponent
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let tokenFile = directory + "/session.token"
            var environment = consoleEnvironment(base, history: history)
            environment["ECGRID_API_KEY"] = nil
            try await withTmux { tmux in
                try await tmux.start(
                    [CLI.binary.path, "login", "--login", SandboxAccounts.operatorLogin, "--save-token", tokenFile],
                    environment: environment)
                try await tmux.waitFor("Password for sandbox.operator:")
                try await tmux.type(SandboxAccounts.password(for: SandboxAccounts.operatorID))
                try await tmux.send("Enter")
                try await tmux.waitFor("all loaded")
                try await tmux.send("q")
                let end = try await tmux.waitFor("EXITED=0")
                #expect(end.contains("The session stays open for"))
            }
            let attributes = try FileManager.default.attributesOfItem(atPath: tokenFile)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!token.isEmpty)
            #expect(await server.store.liveSessionCount(SandboxAccounts.operatorID) == 1)
            var script = base
            script["ECGRID_API_KEY"] = nil
            script["ECGRID_TOKEN_FILE"] = tokenFile
            let whoami = try await CLI.run(["whoami"], environment: script)
            #expect(whoami.status == 0)
            #expect(whoami.stdout.contains(SandboxAccounts.operatorLogin))
            #expect(!whoami.stdout.contains(token) && !whoami.stderr.contains(token))
            if let text = try? String(contentsOfFile: history, encoding: .utf8) { #expect(!text.contains(token)) }
        }
    }

    @Test("a 429 is retried after Retry-After, shown while it waits, and succeeds")
    func rateLimited() async throws {
        try await withCLISandbox { server, base in
            let history = historyPath()
            defer { try? FileManager.default.removeItem(atPath: (history as NSString).deletingLastPathComponent) }
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path], environment: consoleEnvironment(base, history: history))
                try await tmux.waitFor("all loaded")
                await server.setFaults(FaultSettings(rules: [FaultRule(kind: .rateLimited, pathPrefix: "/v2/users/reset", count: 1, retryAfter: 2)]))
                try await tmux.send("/")
                try await tmux.type("40011")
                try await tmux.send("Enter", "r")
                try await tmux.waitFor("Open sessions")
                try await tmux.type("40011")
                // Enter only once the screen shows the state that makes it act.
                try await tmux.waitFor("Matches: Enter")
                try await tmux.send("Enter")
                try await tmux.waitFor("Attempt 1: HTTP 429 RateLimitExceeded; retrying in 2.0 s")
                let screen = try await tmux.waitFor("→ HTTP 200")
                #expect(screen.contains("2 attempts"))
                let outcome = try HistoryStore(path: history).records().last
                #expect(outcome?.result?.attempts == 2)
                #expect(outcome?.result?.retries?.first?.contains("429") == true)
                try await tmux.send("q")
                try await tmux.waitFor("EXITED=0")
            }
        }
    }

    @Test("SIGHUP, SIGTERM and SIGINT restore the terminal, record the action in flight as outcome unknown, and exit",
          arguments: [("SIGHUP", SIGHUP), ("SIGTERM", SIGTERM), ("SIGINT", SIGINT)])
    func signalled(name: String, signal: Int32) async throws {
        try await withCLISandbox { server, base in
            let history = historyPath()
            defer { try? FileManager.default.removeItem(atPath: (history as NSString).deletingLastPathComponent) }
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path], environment: consoleEnvironment(base, history: history))
                try await tmux.waitFor("all loaded")
                try await tmux.send("r")
                try await tmux.waitFor("Open sessions")
                // The re-read before the reset is answered at once; the reset itself hangs.
                await server.setFaults(FaultSettings(rules: [FaultRule(kind: .slow, pathPrefix: "/v2/users/reset", delayMs: 30_000)]))
                try await tmux.type("1001")
                // Enter only once the screen shows the state that makes it act.
                try await tmux.waitFor("Matches: Enter")
                try await tmux.send("Enter")
                try await tmux.waitFor("1 action(s) in flight")
                // The intent is on disk before the request goes out.
                let deadline = ContinuousClock.now + .seconds(10)
                while (try? HistoryStore(path: history).records().count) ?? 0 < 1, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                let pid = try #require(try await tmux.consolePID())
                kill(pid, signal)
                let screen = try await tmux.waitFor("EXITED=")
                #expect(screen.contains("EXITED=\(128 + signal)"))
                #expect(screen.contains("stopped by \(name)"))
                #expect(try await tmux.alternateScreen() == "0")
                let records = try HistoryStore(path: history).records()
                #expect(records.map(\.kind) == [.intent, .outcome])
                #expect(records.last?.result?.status == .unknown)
                #expect(!(try HistoryStore(path: history).verify().tampered))
            }
        }
    }

    @Test("TERM=dumb is refused with a clear message and exit 2; the terminal is left alone")
    func dumbTerminal() async throws {
        try await withTmux { tmux in
            try await tmux.start([CLI.binary.path, "--sandbox"], environment: ["TERM": "dumb", "LANG": "C.UTF-8", "HOME": NSTemporaryDirectory()])
            let screen = try await tmux.waitFor("EXITED=")
            #expect(screen.contains("EXITED=2"))
            #expect(screen.contains("TERM is \"dumb\""))
            #expect(try await tmux.alternateScreen() == "0")
        }
    }

    @Test("a non-UTF-8 locale draws ASCII borders and markers", arguments: ["vt100", "linux", "screen", "tmux-256color"])
    func asciiLocale(term: String) async throws {
        try await withCLISandbox(users: 40) { _, base in
            let history = historyPath()
            defer { try? FileManager.default.removeItem(atPath: (history as NSString).deletingLastPathComponent) }
            var environment = consoleEnvironment(base, history: history)
            environment["LANG"] = "C"
            environment["TERM"] = term
            environment["NO_COLOR"] = "1"
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path], environment: environment, width: 80, height: 24)
                let screen = try await tmux.waitFor("all loaded")
                #expect(screen.contains("+- > Users"))
                #expect(screen.contains("ECGrid console | SANDBOX") == false)
                #expect(screen.contains("ECGrid console | custom server"))
                #expect(screen.unicodeScalars.allSatisfy { $0.isASCII })
                try await tmux.send("q")
                try await tmux.waitFor("EXITED=0")
            }
        }
    }
}
