import ConsoleTestSupport
import ConsoleRuntime
import ConsoleUI
import ECGridKit
import ECGridTransport
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("A team history on a shared jump host")
struct TeamHistoryTests {
    @Test("a setgid, group-writable directory: files made 0660, two operators append to one chain, verify intact")
    func sharedFile() async throws {
        try await withCLISandbox { server, base in
            let directory = NSTemporaryDirectory() + "ecgrid-team-" + UUID().uuidString
            let shared = directory + "/oncall"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
            chmod(directory, 0o755)
            // The team's group (here nogroup, 65534) owns the directory; setgid keeps it on every file.
            chown(shared, 0, 65534)
            chmod(shared, 0o2770)
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = shared + "/history.jsonl"
            #expect(try await CLI.run(["reset", "40011", "--yes", "--reason", "INC-4711"], environment: environment).status == 0)
            for file in ["/history.jsonl", "/history.jsonl.tip"] {
                var status = stat()
                #expect(stat(shared + file, &status) == 0)
                #expect(status.st_mode & 0o777 == 0o660 && status.st_gid == 65534, "\(file)")
            }
            // Another operator of the group appends to the same file.
            let other = try await CLI.runCommand(
                ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", CLI.binary.path, "reset", "40012", "--yes"],
                environment: environment, input: "")
            #expect(other.status == 0, "\(other.stdout) \(other.stderr)")
            #expect(!other.stderr.contains("warning"), "\(other.stderr)")
            #expect(try await CLI.run(["reset", "40013", "--yes"], environment: environment).status == 0)
            let store = HistoryStore(path: shared + "/history.jsonl")
            #expect(try store.records().map(\.seq) == Array(1...6))
            #expect(Set(try store.records().map(\.actor.localUser)).count == 2)
            let verify = try await CLI.run(["history", "verify"], environment: environment)
            #expect(verify.status == 0, "\(verify.stdout)")
            // The next operator to reset 40012 at a terminal is told who did it just before.
            let asked = try await CLI.runInTerminal(["reset", "40012"], environment: environment, input: "\n")
            #expect(asked.stdout.contains("Recent: user 40012: reset just now by nobody@"), "\(asked.stdout)")
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 3)
        }
    }

    @Test("two consoles on one history: an action by another process shows in the pane without a key press, and the confirmation warns of it")
    func liveAndWarned() async throws {
        try await withCLISandbox { server, base in
            let directory = NSTemporaryDirectory() + "ecgrid-live-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let path = directory + "/history.jsonl"
            let transport = AsyncHTTPTransport(trust: server.trustedCA)
            let client = try await server.operatorClient(transport: transport)
            let console = MemoryConsole(client: client, history: path)
            let watcher = try #require(console.runner.watchHistory())
            do {
                try await console.waitForLoad()
                try await console.waitUntil("the history loaded") { $0.historyFailure == nil && $0.history.isEmpty }

                var environment = base
                environment["ECGRID_CONSOLE_HISTORY"] = path
                environment["SSH_CLIENT"] = "192.0.2.7 50022 22"
                let run = try await CLI.run(["reset", "40011", "--yes", "--reason", "INC-4711"], environment: environment)
                #expect(run.status == 0)
                // No key is pressed and the console never polls: only the inotify watch can bring
                // it in (how fast is a benchmark's business, not a test's: CI may be busy).
                try await console.waitUntil("the other process's reset in the pane") { state in
                    state.history.contains { $0.target?.userId == 40011 && $0.status == .succeeded }
                }
                #expect(console.state.history.first?.actor.sshClient == "192.0.2.7")

                // The operator at this console goes to reset the same user.
                console.press(.character("/"))
                console.type("40011")
                console.press(.enter)
                console.press(.character("r"))
                try await console.waitFor("Recent: user 40011: reset just now by ")
                #expect(console.screen.contains(": INC-4711"))
            } catch {
                watcher.stop()
                await console.stop()
                await transport.shutdown()
                throw error
            }
            watcher.stop()
            await console.stop()
            await transport.shutdown()
        }
    }

    @Test("two consoles on one history file: a reset at one shows in the other's pane within a second, without a key press")
    func twoConsoles() async throws {
        try await withCLISandbox { server, _ in
            let directory = NSTemporaryDirectory() + "ecgrid-two-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let path = directory + "/history.jsonl"
            let transport = AsyncHTTPTransport(trust: server.trustedCA)
            let client = try await server.operatorClient(transport: transport)
            let first = MemoryConsole(client: client, history: path)
            let second = MemoryConsole(client: client, history: path)
            let watchers = [first.runner.watchHistory(), second.runner.watchHistory()].compactMap { $0 }
            func stop() async {
                for watcher in watchers { watcher.stop() }
                await first.stop()
                await second.stop()
                await transport.shutdown()
            }
            do {
                #expect(watchers.count == 2)
                try await first.waitForLoad()
                try await second.waitForLoad()
                first.press(.character("/"))
                first.type("40012")
                first.press(.enter)
                first.press(.character("r"))
                try await first.waitUntil("the dialog read its target") { state in
                    if case .confirmAction(let confirm)? = state.dialog { return !confirm.readsPending }
                    return false
                }
                first.type("40012")
                first.press(.enter)
                try await first.waitUntil("the answer") { $0.actionsInFlight == 0 && $0.response.map { !$0.inFlight } == true }
                // The second console is not touched: only its inotify watch can bring the reset in.
                try await second.waitUntil("the first console's reset in the second's pane") { state in
                    state.history.contains { $0.target?.userId == 40012 && $0.status == .succeeded }
                }
            } catch {
                await stop()
                throw error
            }
            await stop()
        }
    }
}
