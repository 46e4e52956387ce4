import ConsoleTestSupport
import ECGridKit
import ECGridTransport
import ECGridSandbox
import Foundation
import Testing

@Suite("The command line, end to end against a sandbox")
struct CommandLineTests {
    @Test("users list walks every page and prints an aligned, harmless table")
    func listTable() async throws {
        try await withCLISandbox { _, environment in
            let run = try await CLI.run(["users", "list"], environment: environment)
            #expect(run.status == 0)
            #expect(run.stdout.contains("300 user(s)"))
            #expect(run.stdout.hasPrefix("   ID  LOGIN"))
            // Hostile names from the server reach the terminal inert.
            #expect(!run.stdoutBytes.contains(0x1B))
            #expect(!run.stdout.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x9B || $0.value == 0x07 })
            #expect(run.stdout.contains("^[[31mRED"))
            #expect(run.stdout.contains("<U+202E>"))
        }
    }

    @Test("users list --json uses the API's field names; --limit and filters apply")
    func listJSON() async throws {
        try await withCLISandbox { _, environment in
            let all = try await CLI.run(["users", "list", "--json"], environment: environment)
            #expect(all.status == 0)
            let users = try JSONDecoder().decode([User].self, from: Data(all.stdout.utf8))
            #expect(users.count == 300)
            #expect(all.stdout.contains("\"userId\""))
            #expect(all.stdout.contains("\"login\""))
            #expect(!all.stdout.contains("loginName"))
            // The bidi override is escaped even inside JSON.
            #expect(!all.stdout.unicodeScalars.contains { $0.value == 0x202E })
            #expect(all.stdout.contains("\\u202e"))
            let limited = try await CLI.run(["users", "list", "--json", "--limit", "5"], environment: environment)
            #expect(try JSONDecoder().decode([User].self, from: Data(limited.stdout.utf8)).count == 5)
            let filtered = try await CLI.run(["users", "list", "--json", "--network", "20", "--auth-level", "mailboxuser"], environment: environment)
            let network20 = try JSONDecoder().decode([User].self, from: Data(filtered.stdout.utf8))
            #expect(!network20.isEmpty && network20.allSatisfy { $0.networkId == 20 && $0.authLevel == .mailboxUser })
            let badLevel = try await CLI.run(["users", "list", "--auth-level", "Wizard"], environment: environment)
            #expect(badLevel.status == 64)
            #expect(badLevel.stderr.contains("Unknown AuthLevel"))
        }
    }

    @Test("users show, find and whoami; 404 exits 1 with the meaning")
    func showFindWhoami() async throws {
        try await withCLISandbox { server, environment in
            let show = try await CLI.run(["users", "show", "40002", "--json"], environment: environment)
            #expect(show.status == 0)
            let user = try JSONDecoder().decode(User.self, from: Data(show.stdout.utf8))
            #expect(user.userId == 40002)
            let human = try await CLI.run(["users", "show", "40002"], environment: environment)
            #expect(human.stdout.contains("Login         \(user.login)"))

            let found = try await CLI.run(["users", "find", user.login], environment: environment)
            #expect(found.status == 0 && found.stdout.contains("40002"))
            let none = try await CLI.run(["users", "find", "no.such.login"], environment: environment)
            #expect(none.status == 1 && none.stderr.contains("No user has the login"))

            let missing = try await CLI.run(["users", "show", "99999"], environment: environment)
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("HTTP 404"))
            #expect(missing.stderr.contains("ObjectNotFound"))
            let missingJSON = try await CLI.run(["users", "show", "99999", "--json"], environment: environment)
            #expect(missingJSON.stdout.contains("\"errorCode\" : \"ObjectNotFound\""))

            let whoami = try await CLI.run(["whoami"], environment: environment)
            #expect(whoami.status == 0)
            #expect(whoami.stdout.contains("sandbox.operator (user 1001, TechOps"))
            #expect(whoami.stdout.contains(server.baseURL))
        }
    }

    @Test("a missing key exits 2 and says where the key comes from; a wrong one exits 1 and is never echoed")
    func credentials() async throws {
        try await withCLISandbox { _, environment in
            var noKey = environment
            noKey["ECGRID_API_KEY"] = nil
            let missing = try await CLI.run(["whoami"], environment: noKey)
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("ECGRID_API_KEY"))

            var wrongKey = environment
            wrongKey["ECGRID_API_KEY"] = "sbx_not_a_real_key_0123456789"
            let wrong = try await CLI.run(["whoami", "--json"], environment: wrongKey)
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("InvalidAPIKey"))
            #expect(!wrong.stderr.contains("sbx_not_a_real_key") && !wrong.stdout.contains("sbx_not_a_real_key"))

            // There is no way to pass a key as an argument.
            let asArgument = try await CLI.run(["whoami", "--api-key", "x"], environment: noKey)
            #expect(asArgument.status == 64)
        }
    }

    @Test("plain http to another host is refused before anything is sent")
    func insecureURL() async throws {
        let run = try await CLI.run(["whoami", "--base-url", "http://rest.ecgrid.io"], environment: ["ECGRID_API_KEY": "k"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("only to loopback"))
    }

    @Test("reset --yes revokes a real session: the token stops working")
    func resetRevokes() async throws {
        try await withCLISandbox { server, environment in
            let target = 40011
            let token = try await server.store.openSession(for: target)
            let run = try await CLI.run(["reset", String(target), "--yes", "--reason", "INC-7"], environment: environment)
            #expect(run.status == 0)
            #expect(run.stdout.contains("Reset sessions: 1 of 1 succeeded. Reason: INC-7"))
            #expect(await server.store.liveSessionCount(target) == 0)
            let transport = AsyncHTTPTransport(trust: server.trustedCA)
            let client = ECGridClient(
                baseURL: try BaseURL(server.baseURL), transport: transport,
                credentials: StaticCredential(.bearer(Secret(token))))
            var rejected: ECGridError?
            do { _ = try await client.me() } catch let error as ECGridError { rejected = error }
            await transport.shutdown()
            #expect(rejected?.errorCode == "InvalidSession")
        }
    }

    @Test("reset --json of several users; a 403 fails that user and the exit status")
    func resetPartialFailure() async throws {
        try await withCLISandbox { server, environment in
            var viewer = environment
            viewer["ECGRID_API_KEY"] = await server.store.apiKey(of: SandboxAccounts.viewerID)
            let sameNetwork = try #require(await firstUser(server) { $0.networkId == 10 && $0.authLevel == .mailboxUser })
            let denied = try await CLI.run(["reset", String(sameNetwork), "--yes"], environment: viewer)
            #expect(denied.status == 1)
            #expect(denied.stdout.contains("FAILED"))
            #expect(denied.stdout.contains("403"))
            #expect(denied.stdout.contains("AuthLevel is too low"))

            let mixed = try await CLI.run(["reset", "40011", "99999", "--yes", "--json"], environment: environment)
            #expect(mixed.status == 1)
            struct Report: Decodable {
                struct Line: Decodable { var userId: Int; var succeeded: Bool; var sent: Bool; var httpStatus: Int? }
                var results: [Line]
                var succeeded: Int
                var failed: Int
                var notSent: Int
            }
            let report = try JSONDecoder().decode(Report.self, from: Data(mixed.stdout.utf8))
            // 99999 could not be re-read (404), so it was not sent: not a failure at the server.
            #expect(report.succeeded == 1 && report.failed == 0 && report.notSent == 1)
            #expect(report.results.map(\.userId) == [40011, 99999])
            #expect(report.results[1].sent == false && report.results[1].httpStatus == 404)
        }
    }

    @Test("reset without --yes and without a terminal refuses and sends nothing")
    func resetNeedsConfirmation() async throws {
        try await withCLISandbox { server, environment in
            let run = try await CLI.run(["reset", "40011"], environment: environment)
            #expect(run.status == 2)
            #expect(run.stderr.contains("nothing was sent"))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)
        }
    }

    @Test("reset - reads IDs from standard input and refuses the whole list on one bad line")
    func resetFromStandardInput() async throws {
        try await withCLISandbox { server, environment in
            let bad = try await CLI.run(["reset", "-", "--yes"], environment: environment, input: "40011\n# a comment\n\nforty\n40012\n-3\n")
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("line 4: 'forty'"))
            #expect(bad.stderr.contains("line 6: '-3'"))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)

            let good = try await CLI.run(["reset", "-", "--yes", "--json"], environment: environment, input: "40011\n40012 # dup below\n40011\n")
            #expect(good.status == 0)
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 2)
        }
    }

    @Test("at a terminal, reset asks for the typed ID: a wrong one sends nothing, the right one resets")
    func typedConfirmation() async throws {
        try await withCLISandbox { server, environment in
            let wrong = try await CLI.runInTerminal(["reset", "40011"], environment: environment, input: "40012\n")
            #expect(wrong.stdout.contains("Type the user ID (40011) to confirm"))
            #expect(wrong.stdout.contains("API keys keep working"))
            #expect(wrong.stdout.contains("not confirmed; nothing was sent."))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)

            let right = try await CLI.runInTerminal(["reset", "40011", "40012"], environment: environment, input: "2\n")
            #expect(right.stdout.contains("Type the number of users (2) to confirm"))
            #expect(right.stdout.contains("Reset sessions: 2 of 2 succeeded."))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 2)
        }
    }

    @Test("sandbox serves in the foreground, prints its URL and key, and stops on SIGINT")
    func sandboxCommand() async throws {
        let home = NSTemporaryDirectory() + "ecgrid-sandbox-command-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let bannerFile = home + "/banner"
        let process = try Spawn.start([CLI.binary.path, "sandbox", "--port", "0", "--users", "50", "--activity-seconds", "0"],
                                      environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": home], standardOutput: bannerFile)
        // Whatever fails below, the sandbox does not outlive the test (SIGTERM; a no-op once it ended).
        defer { process.terminate() }
        var banner = ""
        try await waitFor("the sandbox's banner") {
            banner = (try? String(contentsOfFile: bannerFile, encoding: .utf8)) ?? ""
            return banner.contains("Press Ctrl-C") || !process.isRunning
        }
        let url = try #require(banner.split(separator: " ").first { $0.hasPrefix("https://127.0.0.1:") }.map(String.init))
        let key = try #require(banner.split(separator: "\n").first { $0.contains("ECGRID_API_KEY=") }?
            .split(separator: "=").last.map(String.init))
        let caFile = try #require(banner.split(separator: "\n").first { $0.contains("ECGRID_CA_FILE=") }?
            .split(separator: "=").last.map(String.init))
        #expect(banner.contains("with 50 users"))
        // Without the sandbox's CA the client refuses the server; with it, it reads the users.
        let refused = try await CLI.run(["users", "list", "--base-url", url], environment: ["ECGRID_API_KEY": key, "ECGRID_CA_FILE": ""])
        #expect(refused.status == 1 && refused.stderr.contains("TLS handshake failed"))
        let list = try await CLI.run(["users", "list", "--json", "--base-url", url], environment: ["ECGRID_API_KEY": key, "ECGRID_CA_FILE": caFile])
        #expect(try JSONDecoder().decode([User].self, from: Data(list.stdout.utf8)).count == 50)
        kill(process.processIdentifier, SIGINT)
        await process.wait()
        #expect(process.exitStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: caFile), "the CA file outlived the sandbox")
    }

    func firstUser(_ server: SandboxServer, where predicate: (User) -> Bool) async -> Int? {
        for id in SandboxAccounts.firstGeneratedID..<(SandboxAccounts.firstGeneratedID + 297) {
            if let user = await server.store.user(id), predicate(user) { return id }
        }
        return nil
    }
}
