import ECGridKit
import Foundation
import IncidentLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket of the test's own that the forwarder sends to (the receiving end only:
/// the real pipeline, rsyslogd, is tested through the command line).
final class DatagramInbox {
    let path: String
    let descriptor: Int32

    init(_ path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
    }

    deinit { close(descriptor) }

    /// The next datagram (the forwarder has sent it before `append` returned).
    func next() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        return Array(buffer.prefix(max(0, count)))
    }
}

@Suite("The syslog anchor: every record whole, with its hash and sequence; verify --against a collected copy")
struct SyslogAnchorTests {
    func inbox(_ history: TemporaryHistory) throws -> DatagramInbox {
        try FileManager.default.createDirectory(atPath: history.directory, withIntermediateDirectories: true)
        return try DatagramInbox(history.directory + "/log.sock")
    }

    @Test("severity by outcome: unknown and failed above succeeded; a discontinuity above all")
    func severities() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        let inbox = try inbox(history)
        let recorder = history.recorder(syslog: SyslogForwarder(socketPath: inbox.path))
        var priorities: [String] = []
        for status in [OutcomeDetails.Status.succeeded, .failed, .unknown, .notSent] {
            let intent = try recorder.intent(action: "reset-sessions", target: snapshot(1), reason: nil)
            try recorder.outcome(of: intent, OutcomeDetails(status: status))
            priorities.append(String(decoding: inbox.next().prefix(4), as: UTF8.self))
            priorities.append(String(decoding: inbox.next().prefix(4), as: UTF8.self))
        }
        #expect(priorities == ["<85>", "<85>", "<85>", "<84>", "<85>", "<83>", "<85>", "<85>"])
        try history.write(history.lines.prefix(2).joined(separator: "\n") + "\n")
        try recorder.intent(action: "reset-sessions", target: snapshot(2), reason: nil)
        #expect(String(decoding: inbox.next().prefix(4), as: UTF8.self) == "<82>")
    }

    @Test("long free text is shortened before hashing: the copy is the whole stored line, never cut")
    func neverCut() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        let inbox = try inbox(history)
        let recorder = history.recorder(syslog: SyslogForwarder(socketPath: inbox.path))
        let intent = try recorder.intent(action: "reset-sessions", target: snapshot(1), reason: String(repeating: "r", count: 20_000))
        _ = inbox.next()
        let outcome = try recorder.outcome(of: intent, OutcomeDetails(
            status: .failed, message: String(repeating: "m", count: 30_000), retries: (0..<200).map { "HTTP 429 try \($0)" },
            explanation: String(repeating: "e", count: 9_000)))
        let datagram = inbox.next()
        let stored = Array(history.lines[1].utf8)
        #expect(stored.count <= HistoryRecord.maxLineBytes)
        #expect(datagram.count > stored.count && Array(datagram.suffix(stored.count)) == stored)
        #expect(String(decoding: datagram, as: UTF8.self).contains("hash=\"\(HistoryStore.hash(stored))\""))
        #expect(outcome.result?.message?.hasSuffix("…") == true)
        #expect(try history.store.records()[0].reason?.hasSuffix("…") == true)
        #expect(try history.store.verify().findings.isEmpty)
    }

    @Test("journald's native protocol: MESSAGE is the record, with PRIORITY and ECGRID_ fields")
    func journald() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        let inbox = try inbox(history)
        let recorder = history.recorder(syslog: SyslogForwarder(socketPath: inbox.path, format: .journald))
        let intent = try recorder.intent(action: "reset-sessions", target: snapshot(40011), reason: "INC-1")
        let fields = String(decoding: inbox.next(), as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(fields.contains("MESSAGE=" + history.lines[0]))
        #expect(fields.contains("PRIORITY=5") && fields.contains("SYSLOG_IDENTIFIER=ecgrid-console") && fields.contains("SYSLOG_FACILITY=10"))
        #expect(fields.contains("ECGRID_SEQ=1") && fields.contains("ECGRID_HASH=" + HistoryStore.hash(Array(history.lines[0].utf8))))
        #expect(fields.contains("ECGRID_ACTION_ID=" + intent.actionId) && fields.contains("ECGRID_USER_ID=40011"))
    }

    @Test("ECGRID_CONSOLE_SYSLOG: unset is on when a socket exists (journald's first), off is off, a path is that socket")
    func setting() {
        let both: (String) -> Bool = { _ in true }
        let devLogOnly: (String) -> Bool = { $0 == "/dev/log" }
        #expect(SyslogForwarder.from(nil, exists: both)?.format == .journald)
        #expect(SyslogForwarder.from(nil, exists: both)?.socketPath == "/run/systemd/journal/socket")
        #expect(SyslogForwarder.from("", exists: devLogOnly)?.socketPath == "/dev/log")
        #expect(SyslogForwarder.from(nil, exists: devLogOnly)?.format == .rfc5424)
        #expect(SyslogForwarder.from(nil, exists: { _ in false }) == nil)
        #expect(SyslogForwarder.from("off", exists: both) == nil)
        #expect(SyslogForwarder.from("/tmp/x.sock", exists: { _ in false })?.socketPath == "/tmp/x.sock")
    }

    /// The history rewritten by someone who can recompute the chain: `change` applied to every
    /// record, the tip rewritten to match. `verify` alone cannot tell.
    func rewrite(_ history: TemporaryHistory, keep: Int? = nil, _ change: (inout HistoryRecord) -> Void) throws {
        var records = try history.store.records()
        if let keep { records = Array(records.prefix(keep)) }
        try FileManager.default.removeItem(atPath: history.path)
        try FileManager.default.removeItem(atPath: history.path + ".tip")
        for original in records {
            try history.store.append { seq, prev in
                var record = original
                record.seq = seq
                record.prev = prev
                change(&record)
                return record
            }
        }
        #expect(!(try history.store.verify().tampered))
    }

    /// The copy as rsyslog's default file format writes it, with another history's records mixed in.
    func collected(_ history: TemporaryHistory, other: [String]) -> [UInt8] {
        var text = ""
        for (index, line) in history.lines.dropLast().enumerated() {
            text += "2026-11-25T16:3\(index % 10):00.000000+00:00 jump1 ecgrid-console[42] \(line)\n"
            if index < other.count { text += "2026-11-25T16:3\(index % 10):01.000000+00:00 jump1 ecgrid-console[43] \(other[index])\n" }
            text += "2026-11-25T16:3\(index % 10):02.000000+00:00 jump1 sshd[7]: Accepted publickey for alice\n"
        }
        return Array(text.utf8)
    }

    @Test("verify --against: a rewritten chain, a cut tail with a rewritten tip, and records on either side are reported")
    func against() throws {
        let history = TemporaryHistory()
        let other = TemporaryHistory()
        defer { history.remove(); other.remove() }
        for store in [history, other] {
            let recorder = store.recorder()
            for user in 1...3 {
                let intent = try recorder.intent(action: "reset-sessions", target: snapshot(user), reason: "INC-\(user)")
                try recorder.outcome(of: intent, OutcomeDetails(status: .succeeded))
            }
        }
        let copy = CollectedCopy.parse(collected(history, other: other.lines.dropLast()))
        #expect(copy.count == 12)
        let clean = try history.store.verify(against: copy)
        #expect(!clean.tampered && clean.findings.isEmpty)
        #expect(clean.matching == 6 && clean.copyRecords == 6)

        // Record 3 edited, the chain and tip recomputed.
        try rewrite(history) { if $0.seq == 3 { $0.reason = "routine" } }
        let edited = try history.store.verify(against: copy)
        #expect(edited.tampered)
        #expect(edited.findings.filter(\.isTampering).map(\.kind) == [.altered, .altered, .altered, .altered])
        #expect(edited.findings.first?.seq == 3)

        // The last two records dropped, the tip rewritten.
        let fresh = TemporaryHistory()
        defer { fresh.remove() }
        try FileManager.default.createDirectory(atPath: fresh.directory + "/state", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: other.path, toPath: fresh.path)
        try FileManager.default.copyItem(atPath: other.path + ".tip", toPath: fresh.path + ".tip")
        let otherCopy = CollectedCopy.parse(collected(fresh, other: []))
        try rewrite(fresh, keep: 4) { _ in }
        let cut = try fresh.store.verify(against: otherCopy)
        #expect(cut.findings.map(\.kind) == [.missingFromFile, .missingFromFile])
        #expect(cut.findings.map(\.seq) == [5, 6])

        // A record the copy lacks (syslog was off) is a note, not tampering.
        let partial = try fresh.store.verify(against: Array(otherCopy.prefix(3)))
        #expect(!partial.tampered && partial.findings.map(\.kind) == [.missingFromCopy])
    }

    @Test("journalctl -o json output is read too")
    func journalJSON() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        let recorder = history.recorder()
        let intent = try recorder.intent(action: "reset-sessions", target: snapshot(1), reason: "INC-\u{202E}1")
        try recorder.outcome(of: intent, OutcomeDetails(status: .succeeded))
        var output = ""
        for (index, line) in history.lines.dropLast().enumerated() {
            var object: [String: Any] = ["_HOSTNAME": "jump1", "SYSLOG_IDENTIFIER": "ecgrid-console", "ECGRID_SEQ": String(index + 1)]
            // journald gives MESSAGE as an array of bytes when it does not take it for text.
            object["MESSAGE"] = index == 0 ? line as Any : Array(line.utf8).map(Int.init) as Any
            output += String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n"
        }
        let copy = CollectedCopy.parse(Array(output.utf8))
        #expect(copy.count == 2)
        let report = try history.store.verify(against: copy)
        #expect(report.matching == 2 && report.findings.isEmpty)
    }
}
