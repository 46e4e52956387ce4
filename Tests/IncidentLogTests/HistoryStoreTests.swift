import ECGridKit
import Foundation
import IncidentLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A history file in a directory of its own, removed afterwards.
struct TemporaryHistory {
    let directory: String
    var path: String { directory + "/state/history.jsonl" }
    var store: HistoryStore { HistoryStore(path: path) }

    init() {
        directory = NSTemporaryDirectory() + "ecgrid-history-" + UUID().uuidString
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    func recorder(syslog: SyslogForwarder? = nil) -> ActionRecorder {
        ActionRecorder(
            store: store, operator: OperatorIdentity(localUser: "alice", host: "jump1", sshClient: "192.0.2.7", apiUser: nil),
            profile: "test", baseURL: "http://127.0.0.1:1", syslog: syslog)
    }

    var text: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    var lines: [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    func write(_ text: String) throws { try text.write(toFile: path, atomically: false, encoding: .utf8) }
}

func snapshot(_ id: Int) -> TargetSnapshot {
    TargetSnapshot(User(userId: id, login: "user\(id)", firstName: "U", lastName: "\(id)", networkId: 10, mailboxId: 0))
}

@Suite("History store: write-ahead records, hash chain, locking")
struct HistoryStoreTests {
    @Test("intent and outcome records chain, verify intact, and pair into entries")
    func basics() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        let recorder = history.recorder()
        let intent = try recorder.intent(action: "reset-sessions", target: snapshot(40011), reason: "INC-1")
        #expect(intent.seq == 1 && intent.prev == HistoryStore.genesis)
        let outcome = try recorder.outcome(of: intent, OutcomeDetails(status: .succeeded, httpStatus: 200, success: true, data: "true"))
        #expect(outcome.seq == 2 && outcome.actionId == intent.actionId)
        #expect(outcome.prev == HistoryStore.hash(Array(history.lines[0].utf8)))

        let report = try history.store.verify()
        #expect(!report.tampered && report.findings.isEmpty && report.records == 2 && report.openIntents.isEmpty)
        let entries = try history.store.entries()
        #expect(entries.count == 1)
        #expect(entries[0].status == .succeeded && entries[0].reason == "INC-1" && entries[0].actor.sshClient == "192.0.2.7")
    }

    @Test("file mode 0600 in a 0700 directory")
    func modes() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try history.recorder().intent(action: "reset-sessions", target: snapshot(1), reason: nil)
        let file = try FileManager.default.attributesOfItem(atPath: history.path)[.posixPermissions] as? Int
        let directory = try FileManager.default.attributesOfItem(atPath: history.directory + "/state")[.posixPermissions] as? Int
        #expect(file == 0o600)
        #expect(directory == 0o700)
    }

    @Test("an intent that cannot be written throws, so the caller sends nothing")
    func unwritable() throws {
        let blocker = NSTemporaryDirectory() + "ecgrid-blocker-" + UUID().uuidString
        try "not a directory".write(toFile: blocker, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: blocker) }
        let store = HistoryStore(path: blocker + "/history.jsonl")
        let recorder = ActionRecorder(store: store, operator: .local(), profile: nil, baseURL: "x")
        #expect(throws: HistoryError.self) { try recorder.intent(action: "reset-sessions", target: snapshot(1), reason: nil) }
    }

    func threeRecords(_ history: TemporaryHistory) throws {
        let recorder = history.recorder()
        let first = try recorder.intent(action: "reset-sessions", target: snapshot(1), reason: "a")
        try recorder.outcome(of: first, OutcomeDetails(status: .succeeded))
        try recorder.intent(action: "reset-sessions", target: snapshot(2), reason: "b")
        try recorder.outcome(of: try #require(try history.store.records().last), OutcomeDetails(status: .failed, httpStatus: 403))
    }

    @Test("an edited field breaks the link of the next line")
    func editedField() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try threeRecords(history)
        var lines = history.lines
        lines[1] = lines[1].replacingOccurrences(of: "\"succeeded\"", with: "\"failed\"")
        try history.write(lines.joined(separator: "\n"))
        let report = try history.store.verify()
        #expect(report.tampered)
        #expect(report.firstBreak?.line == 3 && report.firstBreak?.kind == .brokenLink)
    }

    @Test("an edited last line is caught by the tip")
    func editedLastLine() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try threeRecords(history)
        try history.write(history.text.replacingOccurrences(of: #""httpStatus":403"#, with: #""httpStatus":200"#))
        let report = try history.store.verify()
        #expect(report.firstBreak?.kind == .lastLineChanged)
    }

    @Test("a deleted line shows as a broken link and a sequence gap")
    func deletedLine() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try threeRecords(history)
        var lines = history.lines
        lines.remove(at: 1)
        try history.write(lines.joined(separator: "\n"))
        let report = try history.store.verify()
        #expect(report.firstBreak?.line == 2 && report.firstBreak?.kind == .brokenLink)
        #expect(report.findings.contains { $0.kind == .gap })
    }

    @Test("a truncated file (whole last records removed) is caught")
    func truncated() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try threeRecords(history)
        try history.write(history.lines.prefix(2).joined(separator: "\n") + "\n")
        let report = try history.store.verify()
        #expect(report.firstBreak?.kind == .truncated)
        try history.write("")
        #expect(try history.store.verify().firstBreak?.kind == .truncated)
    }

    @Test("a torn last line is not tampering; the next append closes it and every record survives")
    func tornLine() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try threeRecords(history)
        let handle = try #require(FileHandle(forWritingAtPath: history.path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"action":"reset-sessions","actio"#.utf8))
        try handle.close()
        let torn = try history.store.verify()
        #expect(!torn.tampered)
        #expect(torn.findings.map(\.kind) == [.tornLastLine])

        let record = try history.recorder().intent(action: "reset-sessions", target: snapshot(3), reason: nil)
        #expect(record.seq == 5)
        #expect(record.recoveredTornLineAt != nil)
        let after = try history.store.verify()
        #expect(!after.tampered)
        #expect(after.findings.map(\.kind) == [.recoveredTornLine])
        #expect(after.records == 5)
        #expect(try history.store.records().map(\.seq) == [1, 2, 3, 4, 5])
    }

    @Test("a crash between the append and the tip is a note, not tampering")
    func tipBehind() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try threeRecords(history)
        let lines = history.lines
        let tip = "3 \(HistoryStore.hash(Array(lines[2].utf8)))\n"
        try tip.write(toFile: history.path + ".tip", atomically: true, encoding: .utf8)
        let report = try history.store.verify()
        #expect(!report.tampered)
        #expect(report.findings.map(\.kind) == [.tipBehind])
    }

    @Test("many writers at once: no interleaving, sequence 1…N, chain intact")
    func concurrentWriters() async throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        let writers = 8
        let each = 40
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    // A store of its own: its own descriptor, as another process would have.
                    let recorder = ActionRecorder(
                        store: HistoryStore(path: history.path), operator: .local(), profile: "w\(writer)", baseURL: "x")
                    for index in 0..<each {
                        _ = try? recorder.intent(action: "reset-sessions", target: snapshot(writer * 1000 + index), reason: nil)
                    }
                }
            }
        }
        let report = try history.store.verify()
        #expect(!report.tampered)
        #expect(report.records == writers * each)
        #expect(try history.store.records().map(\.seq) == Array(1...(writers * each)))
        #expect(history.lines.dropLast().allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })
    }

    @Test("intents of ended runs are closed as outcome unknown once; intents of a live run are left alone")
    func abandonedIntents() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        let recorder = history.recorder()
        try recorder.intent(action: "reset-sessions", target: snapshot(7), reason: "crashed run")
        // Rewrite that intent's process as one that has ended.
        let text = history.text.replacingOccurrences(
            of: #""pid":\#(getpid())"#, with: #""pid":999999"#)
        try history.write(text)
        try? FileManager.default.removeItem(atPath: history.path + ".tip")
        let live = try recorder.intent(action: "reset-sessions", target: snapshot(8), reason: "in flight")

        let closed = try history.store.closeAbandonedIntents()
        #expect(closed.map { $0.target?.userId } == [7])
        #expect(closed[0].checkAdvice.contains("Check user 7 (user7)"))
        #expect(try history.store.closeAbandonedIntents().isEmpty)
        let entries = try history.store.entries()
        #expect(entries.first { $0.target?.userId == 7 }?.status == .unknown)
        #expect(entries.first { $0.target?.userId == 7 }?.result?.status == .unknown)
        #expect(entries.first { $0.actionId == live.actionId }?.status == .inFlight)
    }

    @Test("filters: user, action, outcome, since")
    func filters() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try threeRecords(history)
        #expect(try history.store.entries(HistoryFilter(userId: 2)).map { $0.target?.userId } == [2])
        #expect(try history.store.entries(HistoryFilter(status: .failed)).count == 1)
        #expect(try history.store.entries(HistoryFilter(action: .terminate)).isEmpty)
        #expect(try history.store.entries(HistoryFilter(since: Date().addingTimeInterval(3600))).isEmpty)
        #expect(try history.store.entries().map { $0.target?.userId } == [2, 1])
    }

    @Test("records go to syslog; a syslog failure is reported and does not block the record")
    func syslog() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try FileManager.default.createDirectory(atPath: history.directory, withIntermediateDirectories: true)
        let socketPath = history.directory + "/log.sock"
        let receiver = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(receiver) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in socketPath.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(receiver, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)

        let recorder = history.recorder(syslog: SyslogForwarder(socketPath: socketPath))
        let record = try recorder.intent(action: "reset-sessions", target: snapshot(5), reason: "INC-9")
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let count = recv(receiver, &buffer, buffer.count, 0)
        let message = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
        #expect(message.hasPrefix("<85>1 \(record.time) "), "\(record.time)")
        #expect(message.contains(" ecgrid-console \(getpid()) intent [ecgrid@32473 seq=\"1\" hash=\""))
        #expect(message.contains(record.actionId))
        #expect(recorder.takeWarnings().isEmpty)

        let broken = history.recorder(syslog: SyslogForwarder(socketPath: history.directory + "/missing.sock"))
        try broken.intent(action: "reset-sessions", target: snapshot(6), reason: nil)
        #expect(broken.takeWarnings().first?.contains("syslog copy failed") == true)
        #expect(try history.store.records().count == 2)
    }
}
