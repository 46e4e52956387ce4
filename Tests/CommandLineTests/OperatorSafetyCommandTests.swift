import ConsoleTestSupport
import ECGridKit
import ECGridTransport
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

/// Issue 11 on the command line: one output path for server text, one confirmation rule, one
/// set of outcome words and exit statuses.
@Suite("Operator safety on the command line")
struct OperatorSafetyCommandTests {
    /// Hostile text as a server would send it inside a JSON string: an OSC 52 clipboard write,
    /// BEL, CSI, a C1 CSI, NEL, and bidi controls.
    static let hostile = #"\u001b]52;c;ZXZpbA==\u0007\u001b[31mRED\u009b2J\u0085\u202ecba\u2066x\u200f"#

    static func userJSON(_ id: Int, login: String = "h.\(hostile)") -> String {
        #"{"userId": \#(id), "login": "\#(login)", "firstName": "\#(hostile)", "lastName": "\#(hostile)", "email": "e\#(hostile)@x", "#
            + #""company": "\#(hostile)", "networkId": 10, "mailboxId": 0, "authLevel": "NetworkUser\#(hostile)", "#
            + #""status": "Active\#(hostile)", "openSessions": 1}"#
    }

    static func ok(_ data: String) -> [UInt8] { Array(#"{"success": true, "data": \#(data), "errorCode": "", "message": ""}"#.utf8) }

    static func refused() -> [UInt8] {
        Array(#"{"success": false, "data": "\#(hostile)", "errorCode": "Bad\#(hostile)", "message": "msg \#(hostile)"}"#.utf8)
    }

    /// Bytes that must never reach a terminal raw: ESC, BEL, C1 controls, bidi controls.
    static func unsafe(_ bytes: [UInt8]) -> [String] {
        var found: [String] = []
        if bytes.contains(0x1B) { found.append("ESC") }
        if bytes.contains(0x07) { found.append("BEL") }
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            let value = scalar.value
            if (0x80...0x9F).contains(value) || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
                || value == 0x200E || value == 0x200F || value == 0x061C
            {
                found.append("U+\(String(value, radix: 16))")
            }
        }
        return found
    }

    @Test("hostile server text reaches no command's table or JSON raw: names, status, errorCode, message, data, the new key")
    func hostileOutput() async throws {
        try await withCLISandbox(users: 30) { server, base in
            let target = try #require(await actionableUser(server)).userId
            await server.setFaults(FaultSettings(rules: [
                FaultRule(kind: .canned, pathPrefix: "/v2/users/me", method: "GET", status: 200, body: Self.ok(Self.userJSON(1001))),
                FaultRule(kind: .canned, pathPrefix: "/v2/users/\(target)", method: "DELETE", status: 403, body: Self.refused()),
                FaultRule(kind: .canned, pathPrefix: "/v2/users/\(target)", method: "GET", status: 200, body: Self.ok(Self.userJSON(target))),
                FaultRule(kind: .canned, pathPrefix: "/v2/users/list", status: 200, body: Self.ok("[\(Self.userJSON(target))]")),
                FaultRule(kind: .canned, pathPrefix: "/v2/users/by-name", status: 200, body: Self.ok("[\(Self.userJSON(target))]")),
                FaultRule(kind: .canned, pathPrefix: "/v2/users/reset", status: 400, body: Self.refused()),
                FaultRule(kind: .canned, pathPrefix: "/v2/users/key-generate", status: 200, body: Self.ok(#""key\#(Self.hostile)""#)),
            ]))
            let directory = NSTemporaryDirectory() + "ecgrid-hostile-out-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            let commands: [[String]] = [
                ["users", "list"], ["users", "show", String(target)], ["users", "find", "h.x"], ["whoami"],
                ["reset", String(target), "--yes"], ["rotate-key", String(target), "--yes"], ["terminate", String(target), "--yes"],
                ["history"], ["history", "verify"],
            ]
            for command in commands {
                for json in [false, true] {
                    let arguments = command + (json ? ["--json"] : [])
                    let run = try await CLI.run(arguments, environment: environment)
                    let stderr = Array(run.stderr.utf8)
                    #expect(Self.unsafe(run.stdoutBytes).isEmpty, "stdout of \(arguments): \(Self.unsafe(run.stdoutBytes))")
                    #expect(Self.unsafe(stderr).isEmpty, "stderr of \(arguments): \(Self.unsafe(stderr))")
                    // The hostile text did reach the output (inert), so the check means something.
                    if command != ["history", "verify"] {
                        #expect((run.stdout + run.stderr).contains("ZXZpbA=="), "\(arguments) showed none of the server's text")
                    }
                }
            }
        }
    }

    @Test("terminate refuses when the re-read login is empty: Enter never confirms an empty answer")
    func terminateEmptyLogin() async throws {
        try await withCLISandbox(users: 30) { server, base in
            let target = try #require(await actionableUser(server)).userId
            await server.setFaults(FaultSettings(rules: [
                FaultRule(kind: .canned, pathPrefix: "/v2/users/\(target)", method: "GET", status: 200,
                          body: Self.ok(Self.userJSON(target, login: ""))),
            ]))
            let directory = NSTemporaryDirectory() + "ecgrid-empty-login-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            let run = try await CLI.runInTerminal(["terminate", String(target)], environment: environment, input: "\n")
            #expect(run.status == 2)
            #expect(run.stdout.contains("login came back empty"))
            #expect(await server.store.count(method: "DELETE", pathPrefix: "/v2/users/") == 0)
            #expect(await server.store.user(target)?.status == .active)
        }
    }

    @Test("the prompt says what it does: 'About to terminate this user', and a refusal exits 2")
    func terminatePromptWording() async throws {
        try await withCLISandbox(users: 30) { server, base in
            let target = try #require(await actionableUser(server)).userId
            let directory = NSTemporaryDirectory() + "ecgrid-wording-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            let run = try await CLI.runInTerminal(["terminate", String(target)], environment: environment, input: "nope\n")
            #expect(run.status == 2)
            #expect(run.stdout.contains("About to terminate this user:"))
            #expect(!run.stdout.contains("Terminate user for this user"))
            #expect(run.stdout.contains("not confirmed; nothing was sent"))
        }
    }

    @Test("IDs on standard input end with \\n, \\r\\n or \\r alike")
    func lineEnds() async throws {
        try await withCLISandbox(users: 60) { server, base in
            var ids: [Int] = []
            for skip in 0..<3 { ids.append(try #require(await actionableUser(server, skip: skip)).userId) }
            let directory = NSTemporaryDirectory() + "ecgrid-crlf-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            let input = "\(ids[0])\r\n\(ids[1])\r\(ids[2])\n# done\r\n"
            let run = try await CLI.run(["reset", "-", "--yes", "--json"], environment: environment, input: input)
            #expect(run.status == 0, "\(run.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            #expect((report?["results"] as? [Any])?.count == 3)
        }
    }

    @Test("exit statuses: 2 for bad input everywhere, 64 for usage, 2 for an unwritable history; --json failures print an error object")
    func exitStatuses() async throws {
        try await withCLISandbox(users: 30) { server, base in
            let directory = NSTemporaryDirectory() + "ecgrid-exit-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            func errorObject(_ run: CLIRun) -> [String: Any]? {
                ((try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any])?["error"] as? [String: Any]
            }
            for arguments in [["reset", "-1"], ["reset", "abc"], ["users", "show", "abc"], ["users", "show", "-1"],
                              ["rotate-key", "0"], ["terminate", "x1"]] {
                let run = try await CLI.run(arguments + ["--json"], environment: environment)
                #expect(run.status == 2, "\(arguments): \(run.status) \(run.stderr)")
                #expect(errorObject(run) != nil, "\(arguments): \(run.stdout)")
            }
            for arguments in [["reset", "--bogus", "1"], ["users", "list", "--bogus"], ["users", "show"]] {
                let run = try await CLI.run(arguments + ["--json"], environment: environment)
                #expect(run.status == 64, "\(arguments): \(run.status)")
                #expect(errorObject(run)?["kind"] as? String == "usage", "\(arguments): \(run.stdout)")
            }
            let readOnly = try await CLI.run(["reset", "1", "--read-only", "--json"], environment: environment)
            #expect(readOnly.status == 2 && errorObject(readOnly) != nil)
            let noTerminal = try await CLI.run(["reset", "1", "--json"], environment: environment)
            #expect(noTerminal.status == 2 && errorObject(noTerminal) != nil)
            let longReason = try await CLI.run(["reset", "1", "--yes", "--reason", String(repeating: "r", count: 600)],
                                               environment: environment)
            #expect(longReason.status == 2 && longReason.stderr.contains("at most \(ActionReason.maximumLength)"))

            // A history that cannot be written: refused before sending, 2.
            let blocker = directory + "/file"
            _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
            var unwritable = environment
            unwritable["ECGRID_CONSOLE_HISTORY"] = blocker + "/history.jsonl"
            let target = try #require(await actionableUser(server)).userId
            let blocked = try await CLI.run(["reset", String(target), "--yes"], environment: unwritable)
            #expect(blocked.status == 2, "\(blocked.stdout) \(blocked.stderr)")
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)

            let help = try await CLI.run(["--help"], environment: environment)
            #expect(help.stdout.contains("64 usage error"))
            let verify = try await CLI.run(["history", "verify", "--json"], environment: environment)
            #expect(verify.status == 0)
            let report = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any]
            #expect(report?["intact"] as? Bool == true)
        }
    }

    @Test("a lost answer is OUTCOME UNKNOWN in the table, the summary and --json, never 'failed'")
    func unknownOutcome() async throws {
        try await withCLISandbox(users: 30) { server, base in
            let target = try #require(await actionableUser(server)).userId
            await server.setFaults(FaultSettings(rules: [FaultRule(kind: .drop, pathPrefix: "/v2/users/reset")]))
            let directory = NSTemporaryDirectory() + "ecgrid-unknown-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            let run = try await CLI.run(["reset", String(target), "--yes"], environment: environment)
            #expect(run.status == 1)
            #expect(run.stdout.contains("0 of 1 succeeded, 1 OUTCOME UNKNOWN"))
            #expect(!run.stdout.lowercased().contains("failed"))
            let json = try await CLI.run(["reset", String(target), "--yes", "--json"], environment: environment)
            let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(report?["unknown"] as? Int == 1 && report?["failed"] as? Int == 0)
            let history = try await CLI.run(["history"], environment: environment)
            #expect(history.stdout.contains("OUTCOME UNKNOWN"))
        }
    }

    @Test("DETAIL is whole in a file, with the server's message; no internal names in messages")
    func detailAndWording() async throws {
        try await withCLISandbox(users: 60) { server, base in
            var environment = base
            let directory = NSTemporaryDirectory() + "ecgrid-detail-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            environment["ECGRID_API_KEY"] = await server.store.apiKey(of: SandboxAccounts.viewerID)
            var target = 0
            for id in SandboxAccounts.firstGeneratedID..<(SandboxAccounts.firstGeneratedID + 57) {
                if let user = await server.store.user(id), user.networkId == 10, user.authLevel == .mailboxUser { target = id; break }
            }
            let run = try await CLI.run(["reset", String(target), "--yes"], environment: environment)
            #expect(run.status == 1)
            let line = try #require(run.stdout.split(separator: "\n").first { $0.contains("AccessDenied") || $0.contains("Access denied") })
            #expect(line.contains("your AuthLevel is too low for this user or network."))
            #expect(line.contains("Server said: "))
            #expect(!line.contains("…"))

            var noKey = base
            noKey["ECGRID_API_KEY"] = nil
            let missing = try await CLI.run(["users", "list"], environment: noKey)
            #expect(missing.status == 2)
            #expect(!missing.stderr.contains("missingCredentials"))
            let badURL = try await CLI.run(["users", "list", "--base-url", "ftp://x"], environment: base)
            #expect(!badURL.stderr.contains("invalidURL") && !badURL.stderr.contains("insecureURL"))
        }
    }

    @Test("a config file or directory others can write is refused with the chmod that fixes it")
    func configTrust() async throws {
        let directory = NSTemporaryDirectory() + "ecgrid-trust-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/ecgrid-console", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = directory + "/ecgrid-console/config.toml"
        try "[profiles.lab]\nbase_url = \"http://127.0.0.1:9\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": directory]
        #expect(try await CLI.run(["profiles"], environment: environment).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: config)
        let loose = try await CLI.run(["profiles"], environment: environment)
        #expect(loose.status == 2)
        #expect(loose.stderr.contains("chmod go-w \(config)"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: config)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory + "/ecgrid-console")
        let looseDirectory = try await CLI.run(["users", "list", "--profile", "lab"], environment: environment)
        #expect(looseDirectory.status == 2)
        #expect(looseDirectory.stderr.contains("chmod go-w \(directory)/ecgrid-console"))
    }

    @Test("the sandbox's fault API refuses unknown fields by name (path is not pathPrefix)")
    func faultFields() async throws {
        try await withCLISandbox(users: 10) { server, _ in
            let transport = AsyncHTTPTransport(trust: server.trustedCA)
            let answer = try await transport.send(TransportRequest(
                method: "PUT", url: server.baseURL + "/sandbox/faults", headers: [],
                body: Array(#"{"rules": [{"kind": "500", "path": "/v2/users/reset"}]}"#.utf8), timeout: .seconds(20), maxBodyBytes: 1 << 16))
            await transport.shutdown()
            #expect(answer.status == 400)
            #expect(String(decoding: answer.body, as: UTF8.self).contains("rules[0].path"))
            #expect(await server.faults().rules.isEmpty)
        }
    }
}
