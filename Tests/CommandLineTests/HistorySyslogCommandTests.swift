import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real `rsyslogd` (Debian's rsyslog package) started by the test, in the foreground, on a
/// socket and a configuration of its own, writing what it receives to files in its default
/// file format and the traditional one.
final class RsyslogDaemon {
    let directory: String
    private var process: SpawnedProcess?
    var socket: String { directory + "/log.sock" }
    var collected: String { directory + "/collected.log" }
    var traditional: String { directory + "/traditional.log" }

    init(directory: String, socketPath: String? = nil) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let configuration = """
            global(workDirectory="\(directory)")
            module(load="imuxsock" SysSock.Use="off")
            input(type="imuxsock" Socket="\(socketPath ?? directory + "/log.sock")" UseSpecialParser="off" ParseHostname="on")
            authpriv.* action(type="omfile" file="\(directory)/collected.log")
            authpriv.* action(type="omfile" file="\(directory)/traditional.log" template="RSYSLOG_TraditionalFileFormat")

            """
        try configuration.write(toFile: directory + "/rsyslog.conf", atomically: true, encoding: .utf8)
    }

    func start() async throws {
        process = try Spawn.start(["/usr/sbin/rsyslogd", "-n", "-f", directory + "/rsyslog.conf", "-i", directory + "/rsyslogd.pid"],
                                  environment: ["PATH": "/usr/bin:/bin"])
        try await waitFor("rsyslogd's socket") { SyslogForwarder.isSocket(self.socket) }
    }

    /// Stops the daemon and waits for it to be gone (without blocking a thread of the pool).
    func stop() async {
        guard let process, process.isRunning else { return }
        // SIGKILL: everything the test needs is in its files by now.
        kill(process.processIdentifier, SIGKILL)
        await process.wait()
    }

    /// Runs `body` with the daemon started, and always stops it.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        try await start()
        do {
            let result = try await body()
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }

    /// Lines of `file` holding a history record.
    func records(in file: String) -> Int {
        CollectedCopy.parse(Array(FileManager.default.contents(atPath: file) ?? Data())).count
    }
}

/// Waits (up to a minute, for a busy machine) until `condition` holds.
func waitFor(_ what: String, _ condition: @escaping () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting for \(what)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

@Suite("The syslog anchor through a real rsyslogd")
struct HistorySyslogCommandTests {
    @Test("records reach rsyslog whole; verify --against its file passes, and catches a cut tail with a rewritten tip and a rewritten chain")
    func anchoredByRsyslog() async throws {
        try await withCLISandbox { _, base in
            let directory = NSTemporaryDirectory() + "ecgrid-cli-rsyslog-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let daemon = try RsyslogDaemon(directory: directory + "/rsyslog")
            try await daemon.run {
            var environment = base
            let path = directory + "/state/history.jsonl"
            environment["ECGRID_CONSOLE_HISTORY"] = path
            environment["ECGRID_CONSOLE_SYSLOG"] = daemon.socket
            let reset = try await CLI.run(["reset", "40011", "40012", "--yes", "--reason", "INC-4711 " + String(repeating: "x", count: 480)],
                                          environment: environment)
            #expect(reset.status == 0, "\(reset.stderr)")
            #expect(!reset.stderr.contains("syslog copy failed"))
            try await waitFor("4 records in rsyslog's files") { daemon.records(in: daemon.collected) == 4 && daemon.records(in: daemon.traditional) == 4 }

            for copy in [daemon.collected, daemon.traditional] {
                let verify = try await CLI.run(["history", "verify", "--against", copy], environment: environment)
                #expect(verify.status == 0, "\(verify.stdout)")
                #expect(verify.stdout.contains("4 of them as in the collected copy"), "\(verify.stdout)")
            }

            // Someone with the operator's account drops the last two records and rewrites the tip.
            let store = HistoryStore(path: path)
            let lines = try store.lines()
            try (lines.prefix(2).map { String(decoding: $0.bytes, as: UTF8.self) }.joined(separator: "\n") + "\n")
                .write(toFile: path, atomically: false, encoding: .utf8)
            try "\(lines[1].record?.seq ?? 0) \(HistoryStore.hash(lines[1].bytes))\n".write(toFile: path + ".tip", atomically: true, encoding: .utf8)
            #expect(try await CLI.run(["history", "verify"], environment: environment).status == 0)
            let cut = try await CLI.run(["history", "verify", "--against", daemon.collected], environment: environment)
            #expect(cut.status == 1)
            #expect(cut.stdout.contains("TAMPERING against the copy: record 3: missing from the file"), "\(cut.stdout)")
            #expect(cut.stdout.contains("record 4: missing from the file"))

            // … or edits the first record and recomputes the whole chain and the tip.
            var records = lines.compactMap(\.record)
            records[0].reason = "routine check"
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.removeItem(atPath: path + ".tip")
            for original in records {
                try store.append { seq, prev in
                    var record = original
                    record.prev = prev
                    return record
                }
            }
            #expect(try await CLI.run(["history", "verify"], environment: environment).status == 0)
            let rewritten = try await CLI.run(["history", "verify", "--against", daemon.traditional], environment: environment)
            #expect(rewritten.status == 1)
            #expect(rewritten.stdout.contains("TAMPERING against the copy: record 1: altered"), "\(rewritten.stdout)")
            }
        }
    }

    @Test("on by default: with ECGRID_CONSOLE_SYSLOG unset, records go to /dev/log when it exists (a private /dev in a mount namespace, rsyslogd on it)")
    func onByDefault() async throws {
        try await withCLISandbox { _, base in
            let directory = NSTemporaryDirectory() + "ecgrid-cli-devlog-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let daemon = try RsyslogDaemon(directory: directory + "/rsyslog", socketPath: "/dev/log")
            let script = #"""
                set -u
                W="$1"; BIN="$2"
                mkdir -p "$W/olddev"
                mount --rbind /dev "$W/olddev" || exit 90
                mount -t tmpfs -o mode=0755 tmpfs /dev || exit 91
                for n in null zero full random urandom; do touch "/dev/$n"; mount --bind "$W/olddev/$n" "/dev/$n"; done
                umount -l "$W/olddev"
                # journald's socket would be preferred: hide it, so /dev/log is the one.
                if [ -d /run/systemd/journal ]; then mount -t tmpfs tmpfs /run/systemd/journal; fi
                /usr/sbin/rsyslogd -n -f "$W/rsyslog/rsyslog.conf" -i "$W/rsyslog/rsyslogd.pid" & R=$!
                i=0; while [ ! -S /dev/log ] && [ $i -lt 3000 ]; do i=$((i+1)); sleep 0.02; done
                "$BIN" reset 40011 --yes >"$W/reset.out" 2>"$W/reset.err"; echo "$?" >"$W/reset.status"
                i=0; while [ "$(grep -c '{"action":' "$W/rsyslog/collected.log" 2>/dev/null)" != 2 ] && [ $i -lt 3000 ]; do i=$((i+1)); sleep 0.02; done
                kill -KILL "$R"; wait "$R"
                exit 0
                """#
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/state/history.jsonl"
            _ = daemon
            let run = try await CLI.runCommand(["/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh", directory, CLI.binary.path],
                                               environment: environment, input: "")
            #expect(run.status == 0, "\(run.stderr)")
            let status = try String(contentsOfFile: directory + "/reset.status", encoding: .utf8)
            #expect(status.hasPrefix("0"), "\((try? String(contentsOfFile: directory + "/reset.err", encoding: .utf8)) ?? "")")
            let copy = CollectedCopy.parse(Array(FileManager.default.contents(atPath: daemon.collected) ?? Data()))
            #expect(copy.map(\.record.kind) == [.intent, .outcome])
            let report = try HistoryStore(path: directory + "/state/history.jsonl").verify(against: copy)
            #expect(report.matching == 2 && report.findings.isEmpty)
        }
    }

    @Test("journald: with its native socket present it is preferred; journalctl -o json of what it kept verifies, and a cut is caught")
    func anchoredByJournald() async throws {
        try await withCLISandbox { _, base in
            let directory = NSTemporaryDirectory() + "ecgrid-cli-journald-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // A systemd-journald of the test's own, on a private /run (volatile storage only).
            let script = #"""
                set -u
                W="$1"; BIN="$2"
                mount -t tmpfs tmpfs /run || exit 90
                if [ -d /var/log/journal ]; then mount -t tmpfs tmpfs /var/log/journal; fi
                /lib/systemd/systemd-journald >"$W/journald.out" 2>&1 & J=$!
                i=0; while [ ! -S /run/systemd/journal/socket ] && [ $i -lt 3000 ]; do i=$((i+1)); sleep 0.02; done
                "$BIN" reset 40011 --yes --reason INC-4711 >"$W/reset.out" 2>"$W/reset.err"; echo "$?" >"$W/reset.status"
                i=0
                while [ "$(journalctl -t ecgrid-console -o json --no-pager 2>/dev/null | grep -c ECGRID_SEQ)" != 2 ] && [ $i -lt 3000 ]; do
                    i=$((i+1)); sleep 0.02
                done
                journalctl -t ecgrid-console -o json --no-pager >"$W/copy.json"
                kill -KILL "$J"; wait "$J"
                exit 0
                """#
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/state/history.jsonl"
            let run = try await CLI.runCommand(["/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh", directory, CLI.binary.path],
                                               environment: environment, input: "")
            #expect(run.status == 0, "\(run.stderr)")
            let status = (try? String(contentsOfFile: directory + "/reset.status", encoding: .utf8)) ?? ""
            #expect(status.hasPrefix("0"), "\((try? String(contentsOfFile: directory + "/reset.err", encoding: .utf8)) ?? "")")
            let copy = try String(contentsOfFile: directory + "/copy.json", encoding: .utf8)
            #expect(copy.contains(#""PRIORITY":"5""#) && copy.contains(#""SYSLOG_FACILITY":"10""#) && copy.contains(#""ECGRID_OUTCOME":"succeeded""#))

            let verify = try await CLI.run(["history", "verify", "--against", directory + "/copy.json"], environment: environment)
            #expect(verify.status == 0, "\(verify.stdout)")
            #expect(verify.stdout.contains("2 of them as in the collected copy"), "\(verify.stdout)")
            // The outcome cut and the tip rewritten: only the journal's copy shows it.
            let path = directory + "/state/history.jsonl"
            let first = try #require(try HistoryStore(path: path).lines().first)
            try (String(decoding: first.bytes, as: UTF8.self) + "\n").write(toFile: path, atomically: false, encoding: .utf8)
            try "1 \(HistoryStore.hash(first.bytes))\n".write(toFile: path + ".tip", atomically: true, encoding: .utf8)
            let cut = try await CLI.run(["history", "verify", "--against", directory + "/copy.json"], environment: environment)
            #expect(cut.status == 1)
            #expect(cut.stdout.contains("record 2: missing from the file"), "\(cut.stdout)")
        }
    }
}
