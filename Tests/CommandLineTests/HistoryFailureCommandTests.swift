import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A history prepared outside, then run against on a small tmpfs that is full, in a mount
/// namespace of the test's own (`unshare -m`: the mount is invisible to the rest of the machine
/// and goes away with the namespace).
@Suite("History failures through the command line: a full disk, an unwritable directory")
struct HistoryFailureCommandTests {
    /// A directory with a history of one ended action whose file size leaves `slack` bytes in
    /// its last 4 KiB page.
    func preparedHistory(slack: Int) throws -> String {
        let directory = NSTemporaryDirectory() + "ecgrid-cli-full-" + UUID().uuidString
        let path = directory + "/history.jsonl"
        func record(_ reason: String) -> (Int, String) -> HistoryRecord {
            { seq, prev in
                HistoryRecord(
                    v: 1, seq: seq, kind: seq % 2 == 1 ? .intent : .outcome, actionId: "earlier-\((seq + 1) / 2)",
                    time: "2026-11-24T03:00:00.000Z", action: "reset-sessions", target: TargetSnapshot(userId: 40020),
                    actor: OperatorIdentity(localUser: "bob", host: "jump1", sshClient: nil, apiUser: nil),
                    process: ProcessIdentity(pid: 999_999, start: 1, boot: "another-boot", host: "jump1"),
                    profile: nil, baseURL: "http://x", reason: reason,
                    result: seq % 2 == 1 ? nil : OutcomeDetails(status: .succeeded, httpStatus: 200),
                    recoveredTornLineAt: nil, prev: prev)
            }
        }
        try HistoryStore(path: path).append(record(""))
        func size() throws -> Int { (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        // The outcome's line length without a reason, measured on a copy; then padded.
        let probe = directory + "/probe.jsonl"
        try FileManager.default.copyItem(atPath: path, toPath: probe)
        try FileManager.default.copyItem(atPath: path + ".tip", toPath: probe + ".tip")
        try HistoryStore(path: probe).append(record(""))
        let base = ((try FileManager.default.attributesOfItem(atPath: probe)[.size] as? Int) ?? 0) - (try size())
        try FileManager.default.removeItem(atPath: probe)
        try FileManager.default.removeItem(atPath: probe + ".tip")
        var pad = (4096 - slack) - (try size() + base) % 4096
        if pad < 0 { pad += 4096 }
        try HistoryStore(path: path).append(record(String(repeating: "x", count: pad)))
        #expect(try size() % 4096 == 4096 - slack)
        return directory
    }

    /// Runs `reset 40011 --yes` with the history copied onto a full tmpfs, then frees the space
    /// and runs `whoami` (the start-up recovery) and `history verify`; the results come back
    /// in files in `directory`.
    func runOnFullDisk(_ directory: String, environment: [String: String]) async throws -> (reset: CLIRun, later: String, verify: String, verifyStatus: String) {
        let script = #"""
            set -u
            D="$1/mnt"; OUT="$1"; BIN="$2"
            mkdir -p "$D"
            mount -t tmpfs -o size=256k,mode=0700 tmpfs "$D" || exit 90
            cp -p "$OUT/history.jsonl" "$OUT/history.jsonl.tip" "$D/" || exit 91
            dd if=/dev/zero of="$D/filler" bs=4096 2>/dev/null
            export ECGRID_CONSOLE_HISTORY="$D/history.jsonl"
            "$BIN" reset 40011 --yes; echo "$?" >"$OUT/reset.status"
            rm "$D/filler"
            "$BIN" whoami >/dev/null 2>"$OUT/later.err"
            "$BIN" history verify >"$OUT/verify.out" 2>&1; echo "$?" >"$OUT/verify.status"
            cp "$D/history.jsonl" "$OUT/after.jsonl"
            """#
        let run = try await CLI.runCommand(
            ["/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh", directory, CLI.binary.path], environment: environment, input: "")
        func read(_ name: String) -> String { (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? "" }
        return (run, read("later.err"), read("verify.out"), read("verify.status"))
    }

    @Test("full disk, the intent does not fit: NOT SENT, nothing reaches the server, no later 'unknown', verify clean")
    func fullDiskRefuses() async throws {
        try await withCLISandbox { server, base in
            let directory = try preparedHistory(slack: 100)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let result = try await runOnFullDisk(directory, environment: base)
            #expect(result.reset.status != 90 && result.reset.status != 91, "\(result.reset.stderr)")
            #expect(result.reset.stdout.contains("NOT SENT"), "\(result.reset.stdout) \(result.reset.stderr)")
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)
            #expect(!result.later.contains("unknown"), "\(result.later)")
            #expect(result.verifyStatus.hasPrefix("0"), "\(result.verify)")
            #expect(!result.verify.contains("TAMPERING") && !result.verify.contains("torn"), "\(result.verify)")
            // The partial write was taken back: the file holds whole records only.
            let after = HistoryStore(path: directory + "/after.jsonl")
            #expect(try after.records().count == 2)
        }
    }

    @Test("full disk, the record fits but the tip does not: the action goes out and is recorded; a warning, no false alarm later")
    func fullDiskTipOnly() async throws {
        try await withCLISandbox { server, base in
            let directory = try preparedHistory(slack: 3900)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let result = try await runOnFullDisk(directory, environment: base)
            #expect(result.reset.status == 0, "\(result.reset.stdout) \(result.reset.stderr)")
            #expect(result.reset.stderr.contains("the record itself was written"))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 1)
            #expect(!result.later.contains("unknown"), "\(result.later)")
            #expect(result.verifyStatus.hasPrefix("0"), "\(result.verify)")
            #expect(!result.verify.contains("TAMPERING"), "\(result.verify)")
            let records = try HistoryStore(path: directory + "/after.jsonl").records()
            #expect(records.suffix(2).map { $0.result?.status } == [nil, .succeeded])
        }
    }

    @Test("an unwritable directory (a non-root operator): NOT SENT when the file cannot be made; with the file there, the tip failing only warns")
    func unwritableDirectory() async throws {
        try await withCLISandbox { server, base in
            let directory = NSTemporaryDirectory() + "ecgrid-cli-ro-" + UUID().uuidString
            let history = directory + "/state"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try FileManager.default.createDirectory(atPath: history, withIntermediateDirectories: true)
            chmod(directory, 0o755)
            chown(history, 65534, 65534)
            chmod(history, 0o500)
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = history + "/history.jsonl"
            func asNobody(_ arguments: [String]) async throws -> CLIRun {
                try await CLI.runCommand(
                    ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", CLI.binary.path] + arguments,
                    environment: environment, input: "")
            }
            let refused = try await asNobody(["reset", "40011", "--yes"])
            #expect(refused.stdout.contains("NOT SENT"), "\(refused.stdout) \(refused.stderr)")
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)
            #expect(!(try await asNobody(["whoami"])).stderr.contains("unknown"))

            // The file exists and may be written; the directory still may not: the tip cannot be replaced.
            chmod(history, 0o700)
            #expect(try await asNobody(["reset", "40012", "--yes"]).status == 0)
            chmod(history, 0o500)
            let warned = try await asNobody(["reset", "40013", "--yes"])
            #expect(warned.status == 0, "\(warned.stdout) \(warned.stderr)")
            #expect(warned.stderr.contains("the record itself was written"))
            #expect(!(try await asNobody(["whoami"])).stderr.contains("unknown"))
            let verify = try await asNobody(["history", "verify"])
            #expect(verify.status == 0, "\(verify.stdout)")
            #expect(!verify.stdout.contains("TAMPERING"))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 2)
        }
    }
}
