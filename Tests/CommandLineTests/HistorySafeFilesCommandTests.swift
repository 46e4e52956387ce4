import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

@Suite("History files through the command line: refused paths, modes and flushes")
struct HistorySafeFilesCommandTests {
    @Test("a symbolic link as the history: exit 2, a clear message, nothing sent, the link's target not created")
    func symbolicLinkRefused() async throws {
        try await withCLISandbox { server, base in
            let directory = NSTemporaryDirectory() + "ecgrid-cli-link-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/history.jsonl"
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: directory + "/target.jsonl")
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = path
            let run = try await CLI.run(["reset", "40011", "--yes"], environment: environment)
            #expect(run.status == 2)
            #expect(run.stderr.contains("symbolic link"), "\(run.stderr)")
            #expect(run.stderr.contains("Nothing was sent"))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)
            #expect(!FileManager.default.fileExists(atPath: directory + "/target.jsonl"))
            #expect(try await CLI.run(["history", "verify"], environment: environment).status == 2)
        }
    }

    @Test("a directory anyone may write: exit 2, nothing sent")
    func worldWritableRefused() async throws {
        try await withCLISandbox { server, base in
            let directory = NSTemporaryDirectory() + "ecgrid-cli-open-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            chmod(directory, 0o777)
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            let run = try await CLI.run(["reset", "40011", "--yes"], environment: environment)
            #expect(run.status == 2)
            #expect(run.stderr.contains("may be written by anyone"), "\(run.stderr)")
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)
        }
    }

    @Test("directories are made 0700 at once, never chmod'ed; the directory is flushed after the file is made and after each tip rename")
    func modesAndFlushes() async throws {
        try await withCLISandbox { _, base in
            let directory = NSTemporaryDirectory() + "ecgrid-cli-trace-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let state = directory + "/a/b"
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = state + "/history.jsonl"
            let trace = directory + "/trace"
            let run = try await CLI.runCommand(
                ["/usr/bin/strace", "-f", "-qq", "-o", trace,
                 "-e", "trace=mkdir,mkdirat,chmod,fchmodat,openat,fsync,rename,renameat,renameat2",
                 CLI.binary.path, "reset", "40011", "--yes"], environment: environment, input: "")
            #expect(run.status == 0, "\(run.stderr)")
            let calls = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").map(String.init)
            let made = calls.filter { ($0.contains("mkdir(") || $0.contains("mkdirat(")) && $0.contains(directory + "/a") && $0.hasSuffix("= 0") }
            #expect(made.count == 2, "\(made)")
            #expect(made.allSatisfy { $0.contains(", 0700)") }, "\(made)")
            #expect(!calls.contains { $0.contains("chmod") && $0.contains(directory + "/a") }, "a directory was chmod'ed")

            /// True when, after line `index`, the same thread opens `path` as a directory and fsyncs it.
            func flushesDirectory(after index: Int, _ path: String) -> Bool {
                let thread = calls[index].prefix { $0 != " " }
                var descriptor: String?
                for line in calls[(index + 1)...] where line.hasPrefix(thread + " ") {
                    if line.contains("\"\(path)\"") && line.contains("O_DIRECTORY") {
                        descriptor = line.components(separatedBy: "= ").last
                    } else if let descriptor, line.contains("fsync(\(descriptor))") {
                        return true
                    }
                }
                return false
            }
            let created = try #require(calls.firstIndex { $0.contains("openat(") && $0.contains(state + "/history.jsonl\"") && $0.contains("O_CREAT") })
            #expect(flushesDirectory(after: created, state), "no directory flush after the file was made")
            let renames = calls.indices.filter { calls[$0].contains("rename") && calls[$0].contains("history.jsonl.tip\"") }
            #expect(renames.count == 2)
            #expect(renames.allSatisfy { flushesDirectory(after: $0, state) }, "no directory flush after a tip rename")
        }
    }
}
