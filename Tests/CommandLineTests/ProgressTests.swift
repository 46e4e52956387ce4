import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import Testing

/// Progress on standard error: drawn and erased on a terminal (run under `script`, which gives
/// the binary a pseudo-terminal and records every byte it writes), absent elsewhere.
@Suite("Progress, --quiet and --verbose")
struct ProgressTests {
    static let erase = "\r\u{1B}[2K"

    @Test("users list --count on a terminal: one updating line, erased before the answer")
    func lineDrawnAndErased() async throws {
        try await withCLISandbox { _, environment in
            let run = try await CLI.runInTerminal(["users", "list", "--count", "--page-size", "50"], environment: environment, input: "")
            #expect(run.status == 0)
            // script records the pty: both streams, with the terminal's \r\n.
            #expect(run.stdout.contains(Self.erase + "Loading users: "), "\(run.stdout.debugDescription)")
            #expect(run.stdout.contains(Self.erase + "300\r\n"), "not erased before the answer: \(run.stdout.debugDescription)")
            // Nothing of the line is left after the erase.
            let tail = try #require(run.stdout.components(separatedBy: Self.erase).last)
            #expect(tail == "300\r\n")
        }
    }

    @Test("a rate-limited walk says it waits on 429, with the retries counted")
    func retriesShown() async throws {
        try await withCLISandbox(users: 40) { server, environment in
            await server.setFaults(FaultSettings(rateLimitPerSecond: 2))
            let run = try await CLI.runInTerminal(
                ["users", "list", "--count", "--page-size", "10", "--concurrency", "4"], environment: environment, input: "")
            #expect(run.status == 0)
            #expect(run.stdout.contains("waiting"), "\(run.stdout.debugDescription)")
            // The wait comes before rate and time, so a narrow line keeps it (one retry or more:
            // how many pages meet the limit depends on how fast a busy machine asks).
            #expect(run.stdout.contains(" retry) · ") || run.stdout.contains(" retries) · "), "\(run.stdout.debugDescription)")
            #expect(run.stdout.contains("on HTTP 429 ("))
            #expect(run.stdout.hasSuffix(Self.erase + "40\r\n"))
        }
    }

    @Test("a bulk reset on a terminal shows done/total, then only the table")
    func bulkReset() async throws {
        try await withCLISandbox { _, environment in
            let run = try await CLI.runInTerminal(["reset", "40011", "40012", "40013", "--yes"], environment: environment, input: "")
            #expect(run.status == 0)
            // done/total: how far it got between two frames depends on the machine, the total does not.
            #expect(run.stdout.contains(Self.erase + "Resetting sessions: "), "\(run.stdout.debugDescription)")
            #expect(run.stdout.contains("/3 · "), "\(run.stdout.debugDescription)")
            let afterLastErase = try #require(run.stdout.components(separatedBy: Self.erase).last)
            #expect(afterLastErase.trimmingCharacters(in: .whitespaces).hasPrefix("ID  LOGIN"))
            #expect(afterLastErase.contains("Reset sessions: 3 of 3 succeeded."))
        }
    }

    @Test("--quiet on a terminal: no line at all")
    func quiet() async throws {
        try await withCLISandbox { _, environment in
            let run = try await CLI.runInTerminal(["users", "list", "--count", "--quiet"], environment: environment, input: "")
            #expect(run.status == 0)
            #expect(!run.stdout.contains("Loading users"))
            #expect(!run.stdout.contains("\u{1B}"))
        }
    }

    @Test("standard error a file: no progress bytes at all")
    func notATerminal() async throws {
        try await withCLISandbox { _, environment in
            let run = try await CLI.run(["users", "list", "--count", "--page-size", "20"], environment: environment)
            #expect(run.status == 0)
            #expect(run.stdout == "300\n")
            #expect(run.stderr.isEmpty, "\(run.stderr.debugDescription)")
            let reset = try await CLI.run(["reset", "40011", "40012", "--yes"], environment: environment)
            #expect(reset.status == 0)
            #expect(!reset.stderr.contains("Resetting sessions"))
            #expect(!reset.stderr.contains("\u{1B}"))
        }
    }

    @Test("--verbose: each request with method, path, status, latency and attempt; never a header, key or token")
    func verbose() async throws {
        try await withCLISandbox(users: 30) { server, environment in
            await server.setFaults(FaultSettings(rules: [FaultRule(kind: .rateLimited, pathPrefix: "/v2/users/reset", count: 1)]))
            let key = try #require(environment["ECGRID_API_KEY"])
            let list = try await CLI.run(["users", "list", "--count", "--page-size", "10", "--concurrency", "1", "--verbose"],
                environment: environment)
            #expect(list.status == 0)
            let lines = list.stderr.split(separator: "\n").map(String.init)
            #expect(lines.count == 4, "\(list.stderr)")
            for line in lines {
                #expect(line.wholeMatch(of: /POST \/v2\/users\/list → HTTP 200 in \d+ ms \(attempt 1\)/) != nil, "\(line)")
            }
            let reset = try await CLI.run(["reset", "40011", "--yes", "--verbose"], environment: environment)
            #expect(reset.status == 0)
            #expect(reset.stderr.contains("POST /v2/users/reset/40011 → HTTP 429 RateLimitExceeded in "))
            #expect(reset.stderr.contains("(attempt 1)"))
            #expect(reset.stderr.contains("POST /v2/users/reset/40011 → HTTP 200 in "))
            #expect(reset.stderr.contains("(attempt 2)"))
            let show = try await CLI.run(["users", "show", "40012", "--verbose"], environment: environment)
            #expect(show.status == 0)
            #expect(show.stderr.wholeMatch(of: /GET \/v2\/users\/40012 → HTTP 200 in \d+ ms \(attempt 1\)\n/) != nil, "\(show.stderr)")
            let quietShow = try await CLI.run(["users", "show", "40012"], environment: environment)
            #expect(quietShow.stderr.isEmpty)
            for output in [list.stderr, reset.stderr, show.stderr] {
                #expect(!output.contains(key))
                for word in ["Authorization", "X-API-Key", "Bearer", "api_key", "apiKey", "eyJ"] {
                    #expect(!output.contains(word), "\(word) in --verbose output")
                }
            }
        }
    }
}
