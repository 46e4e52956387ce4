import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import ECGridTransport
import Foundation
import IncidentLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `contain` through the built binary against a sandbox over HTTPS: the one place for the
/// password, the refusals before anything is sent, the dry run, a kill and `--resume`, a bulk
/// under rate limiting.
@Suite("contain through the command line")
struct ContainCommandTests {
    /// A private directory with the history's path and a password file's path in it.
    struct Files {
        let directory = NSTemporaryDirectory() + "ecgrid-contain-" + UUID().uuidString
        var history: String { directory + "/state/history.jsonl" }
        func passwords(_ name: String = "pw.tsv") -> String { directory + "/" + name }
        func make() throws { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    func environment(_ base: [String: String], _ files: Files) -> [String: String] {
        var environment = base
        environment["ECGRID_CONSOLE_HISTORY"] = files.history
        return environment
    }

    /// The answered (not rate-limited) requests the sandbox got for `method` `path…`.
    func answered(_ server: SandboxServer, _ method: String, _ path: String) async -> Int {
        await server.store.requests.filter { $0.method == method && $0.path.hasPrefix(path) && $0.status != 429 }.count
    }

    @Test("contain ID --yes --reason R --password-file F: exit 0, F is 0600 with one line, the new password logs in, the old does not, the password and the keys are nowhere else")
    func containsOne() async throws {
        try await withCLISandbox(users: 60) { server, base in
            let files = Files()
            try files.make()
            defer { files.remove() }
            let id = 40011
            let oldPassword = try #require(await server.store.password(of: id))
            let oldKeys = await server.store.apiKeys(of: id)
            let run = try await CLI.run(
                ["contain", String(id), "--yes", "--reason", "INC-7", "--password-file", files.passwords()], environment: environment(base, files))
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("Contain \(id)") && run.stdout.contains("succeeded"))
            let line = try String(contentsOfFile: files.passwords(), encoding: .utf8)
            let fields = line.split(separator: "\t").map(String.init)
            #expect(fields.count == 3 && fields[0] == String(id) && line.hasSuffix("\n"))
            let password = fields.last?.trimmingCharacters(in: .newlines) ?? ""
            #expect(password.count >= 16 && PasswordPolicy.accepts(password))
            let mode = try FileManager.default.attributesOfItem(atPath: files.passwords())[.posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(await server.store.password(of: id) == password)
            #expect(password != oldPassword)
            let history = try String(contentsOfFile: files.history, encoding: .utf8)
            for secret in [password] + oldKeys {
                #expect(!history.contains(secret) && !run.stdout.contains(secret) && !run.stderr.contains(secret))
            }
            let verify = try await CLI.run(["history", "verify"], environment: environment(base, files))
            #expect(verify.status == 0, "\(verify.stdout)")
            let listed = try await CLI.run(["history", "--user", String(id)], environment: environment(base, files))
            for step in ["contain", "set-password", "reset", "delete"] { #expect(listed.stdout.contains(step), "\(listed.stdout)") }
            let keysLeft = await server.store.apiKeys(of: id)
            let sessionsLeft = await server.store.liveSessionCount(id)
            #expect(keysLeft.isEmpty && sessionsLeft == 0)
        }
    }

    @Test("--json: the report without the password, which goes to the file; --json without a file is refused, nothing sent")
    func json() async throws {
        try await withCLISandbox(users: 60) { server, base in
            let files = Files()
            try files.make()
            defer { files.remove() }
            let refused = try await CLI.run(["contain", "40012", "--yes", "--json"], environment: environment(base, files))
            #expect(refused.status == 2 && refused.stdout.contains(#""error""#), "\(refused.stdout)")
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/password") == 0)
            let run = try await CLI.run(
                ["contain", "40012", "--yes", "--json", "--password-file", files.passwords()], environment: environment(base, files))
            #expect(run.status == 0, "\(run.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            let results = object?["results"] as? [[String: Any]]
            #expect(results?.first?["outcome"] as? String == "succeeded")
            #expect((results?.first?["steps"] as? [[String: Any]])?.map { $0["step"] as? String } == ["password", "sessions", "keys"])
            let password = try #require(await server.store.password(of: 40012))
            #expect(!run.stdout.contains(password))
        }
    }

    @Test("refused with exit 2 before anything is sent: an existing password file, no terminal and no file, yourself, read-only, a low AuthLevel, a notice without its step")
    func refusals() async throws {
        try await withCLISandbox(users: 60) { server, base in
            let files = Files()
            try files.make()
            defer { files.remove() }
            let existing = files.passwords("exists.tsv")
            try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: existing))
            let env = environment(base, files)
            var viewer = env
            viewer["ECGRID_API_KEY"] = await server.store.apiKey(of: SandboxAccounts.viewerID) ?? ""
            let cases: [([String], [String: String], String)] = [
                (["contain", "40011", "--yes", "--password-file", existing], env, "already exists"),
                (["contain", "40011", "--yes"], env, "--password-file"),
                (["contain", String(SandboxAccounts.operatorID), "--yes", "--password-file", files.passwords("a")], env, "is you"),
                (["contain", "40011", "--yes", "--read-only", "--password-file", files.passwords("b")], env, "read-only"),
                (["contain", "40011", "--yes", "--password-file", files.passwords("c")], viewer, "needs NetworkAdmin"),
                (["contain", "40011", "--yes", "--steps", "sessions", "--notify", "hi"], env, "notify step was not chosen"),
            ]
            for (arguments, environment, words) in cases {
                let run = try await CLI.run(arguments, environment: environment)
                #expect(run.status == 2, "\(arguments): \(run.status) \(run.stderr)")
                #expect(run.stderr.contains(words), "\(arguments): \(run.stderr)")
            }
            #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me\n")
            // Only reads went out; no password file was left behind by a refused run.
            #expect(await stateChangingCount(server) == 0)
            for name in ["a", "b", "c"] { #expect(!FileManager.default.fileExists(atPath: files.passwords(name))) }
        }
    }

    func stateChangingCount(_ server: SandboxServer) async -> Int {
        await server.store.requests.filter { $0.method != "GET" && $0.path != "/v2/keys/list" }.count
    }

    @Test("--dry-run prints every request in order, bodies without secrets, and sends nothing that changes state")
    func dryRun() async throws {
        try await withCLISandbox(users: 60) { server, base in
            let files = Files()
            try files.make()
            defer { files.remove() }
            let run = try await CLI.run(
                ["contain", "40011", "--dry-run", "--steps", "password,sessions,keys,notify", "--notify", "Call support."],
                environment: environment(base, files))
            #expect(run.status == 0, "\(run.stderr)")
            let order = ["POST /v2/users/password", "POST /v2/users/reset/40011", "DELETE /v2/keys", "POST /v2/users/send-sms"]
            let positions = order.compactMap { run.stdout.range(of: $0)?.lowerBound }
            #expect(positions.count == order.count && positions == positions.sorted(), "\(run.stdout)")
            #expect(run.stdout.contains(#""message":"Call support.""#))
            for key in await server.store.apiKeys(of: 40011) { #expect(!run.stdout.contains(key)) }
            #expect(await stateChangingCount(server) == 0)
            #expect(((try? HistoryStore(path: files.history).records()) ?? []).isEmpty, "a dry run recorded something")
        }
    }

    @Test("on a terminal: the operator types the ID, the new password is shown once there, and nowhere else")
    func terminal() async throws {
        try await withCLISandbox(users: 60) { server, base in
            let files = Files()
            try files.make()
            defer { files.remove() }
            let wrong = try await CLI.runInTerminal(["contain", "40014"], environment: environment(base, files), input: "40015\n")
            #expect(wrong.stdout.contains("not confirmed; nothing was sent."), "\(wrong.stdout)")
            #expect(await stateChangingCount(server) == 0)
            let run = try await CLI.runInTerminal(["contain", "40014", "--reason", "INC-9"], environment: environment(base, files), input: "40014\n")
            #expect(run.status == 0, "\(run.stdout)")
            #expect(run.stdout.contains("1. set a new password") && run.stdout.contains("this terminal, shown once"))
            let password = try #require(await server.store.password(of: 40014))
            #expect(run.stdout.components(separatedBy: password).count == 2, "the password is shown exactly once")
            #expect(!(try String(contentsOfFile: files.history, encoding: .utf8)).contains(password))
        }
    }

    @Test("killed with SIGKILL while deleting keys: contain --resume finishes it without sending the password or the reset again")
    func killThenResume() async throws {
        // Each key deletion waits 2 s before the sandbox acts on it: time to kill the run between two.
        let faults = FaultSettings(rules: [FaultRule(kind: .slow, pathPrefix: "/v2/keys", method: "DELETE", delayMs: 2_000)])
        try await withCLISandbox(users: 60, faults: faults) { server, base in
            let files = Files()
            try files.make()
            defer { files.remove() }
            let id = try #require(await firstUser(server, withKeys: 2))
            let env = environment(base, files)
            let process = try CLI.start(["contain", String(id), "--yes", "--password-file", files.passwords()], environment: env, input: "")
            // Wait for the state that makes the kill land mid-playbook: the first key deletion's intent is on disk.
            while process.isRunning, !((try? String(contentsOfFile: files.history, encoding: .utf8)) ?? "").contains(#""action":"delete-api-key""#) {
                try await Task.sleep(for: .milliseconds(5))
            }
            kill(process.processIdentifier, SIGKILL)
            await CLI.wait(process)
            await server.setFaults(FaultSettings())
            let resumed = try await CLI.run(["contain", "--resume", "--yes", "--password-file", files.passwords("again.tsv")], environment: env)
            #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
            #expect(resumed.stdout.contains("done in an earlier run"), "\(resumed.stdout)")
            #expect(await answered(server, "POST", "/v2/users/password") == 1)
            #expect(await answered(server, "POST", "/v2/users/reset/") == 1)
            #expect(await server.store.apiKeys(of: id).isEmpty)
            // The password was done before the kill: the resume had none to deliver, so made no file.
            #expect(!FileManager.default.fileExists(atPath: files.passwords("again.tsv")))
            let again = try await CLI.run(["contain", "--resume", "--yes"], environment: env)
            #expect(again.status == 2 && again.stderr.contains("no unfinished containment"), "\(again.stdout) \(again.stderr)")
            #expect(try await CLI.run(["history", "verify"], environment: env).status == 0)
        }
    }

    @Test("50 users at --concurrency 8 under rate limiting: every step once per user, every 429 waited out")
    func bulkUnderRateLimit() async throws {
        try await withCLISandbox(users: 120, faults: FaultSettings(rateLimitPerSecond: 40)) { server, base in
            let files = Files()
            try files.make()
            defer { files.remove() }
            let ids = Array(40050..<40100)
            let run = try await CLI.run(
                ["contain", "-", "--yes", "--concurrency", "8", "--password-file", files.passwords()],
                environment: environment(base, files), input: ids.map(String.init).joined(separator: "\n"))
            #expect(run.status == 0, "\(run.stdout.suffix(2_000))\(run.stderr)")
            #expect(await answered(server, "POST", "/v2/users/password") == ids.count)
            #expect(await answered(server, "POST", "/v2/users/reset/") == ids.count)
            let lines = try String(contentsOfFile: files.passwords(), encoding: .utf8).split(separator: "\n")
            let written: Set<String> = Set(lines.map { line in String(line.prefix { $0 != "\t" }) })
            let wanted: Set<String> = Set(ids.map { String($0) })
            #expect(written == wanted)
            let records = try HistoryStore(path: files.history).records()
            #expect(records.filter { $0.action == "set-password" && $0.kind == .outcome && $0.result?.status == .succeeded }.count == ids.count)
        }
    }

    /// An active user of the generated ones with at least `count` API keys.
    func firstUser(_ server: SandboxServer, withKeys count: Int) async -> Int? {
        for id in 40001...40060 where await server.store.apiKeys(of: id).count >= count {
            if await server.store.user(id)?.status == .active { return id }
        }
        return nil
    }
}
