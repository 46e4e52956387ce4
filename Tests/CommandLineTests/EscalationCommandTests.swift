import ConsoleTestSupport
import ECGridKit
import ECGridTransport
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

@Suite("Escalations and read-only mode through the command line")
struct EscalationCommandTests {
    func withHistory(_ base: [String: String]) -> ([String: String], String) {
        let path = NSTemporaryDirectory() + "ecgrid-cli-escalation-\(UUID().uuidString)/history.jsonl"
        var environment = base
        environment["ECGRID_CONSOLE_HISTORY"] = path
        return (environment, path)
    }

    /// What the sandbox answers to `me` with `credential`: nil when it works, else the error.
    func meError(_ server: SandboxServer, _ credential: Credential) async throws -> ECGridError? {
        let transport = AsyncHTTPTransport(trust: server.trustedCA)
        let client = ECGridClient(baseURL: try BaseURL(server.baseURL), transport: transport, credentials: StaticCredential(credential))
        var failure: ECGridError?
        do {
            _ = try await client.me()
        } catch let error as ECGridError {
            failure = error
        }
        await transport.shutdown()
        return failure
    }

    @Test("rotate-key: a wrong typed ID sends nothing; the right one prints the new key once, the old key stops working, the history never holds a key")
    func rotateKey() async throws {
        try await withCLISandbox { server, base in
            let (environment, path) = withHistory(base)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let target = 40011
            let oldKey = try #require(await server.store.apiKey(of: target))

            let wrong = try await CLI.runInTerminal(["rotate-key", String(target)], environment: environment, input: "40012\n")
            #expect(wrong.stdout.contains("STOPS WORKING AT ONCE"))
            #expect(wrong.stdout.contains("Type the user ID (\(target)) to confirm"))
            #expect(wrong.stdout.contains("not confirmed; nothing was sent."))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/key-generate") == 0)

            let right = try await CLI.runInTerminal(["rotate-key", String(target), "--reason", "INC-5"], environment: environment, input: "\(target)\n")
            #expect(right.status == 0)
            #expect(right.stdout.contains("The old key no longer works."))
            let newKey = try #require(await server.store.apiKey(of: target))
            #expect(newKey != oldKey)
            #expect(right.stdout.contains(newKey))
            #expect(try await meError(server, .apiKey(Secret(oldKey)))?.errorCode == "InvalidAPIKey")
            #expect(try await meError(server, .apiKey(Secret(newKey))) == nil)

            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!text.contains(newKey) && !text.contains(oldKey))
            let records = try HistoryStore(path: path).records()
            #expect(records.map(\.kind) == [.intent, .outcome])
            #expect(records.allSatisfy { $0.action == "generate-api-key" && $0.reason == "INC-5" })
            #expect(records.last?.result?.status == .succeeded)
            #expect(records.last?.result?.data == "a new API key (not recorded)")
        }
    }

    @Test("rotate-key --yes --json gives the key to a script, once")
    func rotateKeyJSON() async throws {
        try await withCLISandbox { server, base in
            let (environment, path) = withHistory(base)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let run = try await CLI.run(["rotate-key", "40012", "--yes", "--json"], environment: environment)
            #expect(run.status == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            #expect(object["action"] as? String == "generate-api-key")
            #expect(object["apiKey"] as? String == (await server.store.apiKey(of: 40012)))
            #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("sbx_"))
        }
    }

    @Test("terminate: confirmed only by the login; then the user is Terminated and its key and sessions are refused")
    func terminate() async throws {
        try await withCLISandbox { server, base in
            let (environment, path) = withHistory(base)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let target = 40011
            let login = try #require(await server.store.user(target)?.login)
            let key = try #require(await server.store.apiKey(of: target))
            let token = try await server.store.openSession(for: target)

            let byID = try await CLI.runInTerminal(["terminate", String(target)], environment: environment, input: "\(target)\n")
            #expect(byID.stdout.contains("PERMANENT"))
            #expect(byID.stdout.contains("CANNOT BE UNDONE"))
            #expect(byID.stdout.contains("Type the user's login (\(login)) to confirm"))
            #expect(byID.stdout.contains("not confirmed; nothing was sent."))
            #expect(await server.store.count(method: "DELETE", pathPrefix: "/v2/users/") == 0)

            let right = try await CLI.runInTerminal(["terminate", String(target)], environment: environment, input: "\(login)\n")
            #expect(right.status == 0)
            #expect(right.stdout.contains("Status now: Terminated."))
            #expect(await server.store.user(target)?.status == .terminated)
            #expect(try await meError(server, .apiKey(Secret(key))) != nil)
            #expect(try await meError(server, .bearer(Secret(token)))?.httpStatus == 401)
            let records = try HistoryStore(path: path).records()
            #expect(records.map(\.action) == ["terminate-user", "terminate-user"])
            #expect(records.last?.result?.status == .succeeded)
        }
    }

    @Test("a 403 on terminate fails with its meaning and exit 1; no terminal and no --yes refuses with exit 2")
    func refusals() async throws {
        try await withCLISandbox { server, base in
            let (environment, path) = withHistory(base)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            var viewer = environment
            viewer["ECGRID_API_KEY"] = await server.store.apiKey(of: SandboxAccounts.viewerID)
            var target = 0
            for id in SandboxAccounts.firstGeneratedID..<(SandboxAccounts.firstGeneratedID + 297) {
                if let user = await server.store.user(id), user.networkId == 10, user.authLevel == .mailboxUser { target = id; break }
            }
            let denied = try await CLI.run(["terminate", String(target), "--yes"], environment: viewer)
            #expect(denied.status == 1)
            #expect(denied.stdout.contains("FAILED (HTTP 403 AccessDenied)"))
            #expect(denied.stdout.contains("AuthLevel is too low"))
            #expect(await server.store.user(target)?.status != .terminated)

            let unattended = try await CLI.run(["rotate-key", String(target)], environment: environment)
            #expect(unattended.status == 2)
            #expect(unattended.stderr.contains("no terminal to confirm on; nothing was sent"))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/key-generate") == 0)
        }
    }

    @Test("--read-only refuses every state-changing command before anything is sent", arguments: [
        ["reset", "40011", "--yes"], ["rotate-key", "40011", "--yes"], ["terminate", "40011", "--yes"],
    ])
    func readOnly(arguments: [String]) async throws {
        try await withCLISandbox { server, base in
            let (environment, path) = withHistory(base)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let run = try await CLI.run(arguments + ["--read-only"], environment: environment)
            #expect(run.status == 2)
            #expect(run.stderr.contains("read-only mode: '\(arguments[0])' changes state and is refused; nothing was sent"))
            #expect(await server.store.requests.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: path))
            // Reading still works in read-only mode.
            #expect(try await CLI.run(["users", "show", "40011", "--read-only"], environment: environment).status == 0)
        }
    }
}
