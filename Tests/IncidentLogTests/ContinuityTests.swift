import ECGridKit
import Foundation
import IncidentLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("History continuity: a cut or a changed end is recorded and never forgotten")
struct ContinuityTests {
    /// Two actions, four records: intent, outcome, intent, outcome.
    func fourRecords(_ history: TemporaryHistory) throws {
        let recorder = history.recorder()
        let first = try recorder.intent(action: "reset-sessions", target: snapshot(1), reason: "a")
        try recorder.outcome(of: first, OutcomeDetails(status: .succeeded))
        let second = try recorder.intent(action: "reset-sessions", target: snapshot(2), reason: "b")
        try recorder.outcome(of: second, OutcomeDetails(status: .failed, httpStatus: 403))
    }

    @Test("cut the tail, then append: a discontinuity is recorded, no sequence number is re-used, verify reports it for good")
    func cutThenAppend() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try fourRecords(history)
        let cutHash = HistoryStore.hash(Array(history.lines[1].utf8))
        try history.write(history.lines.prefix(2).joined(separator: "\n") + "\n")

        let recorder = history.recorder()
        let next = try recorder.intent(action: "reset-sessions", target: snapshot(3), reason: "after the cut")
        #expect(next.seq == 6)
        let records = try history.store.records()
        #expect(records.map(\.seq) == [1, 2, 5, 6])
        let cut = try #require(records.first { $0.kind == .discontinuity })
        #expect(cut.discontinuity?.kind == .truncated)
        #expect(cut.discontinuity?.expectedSeq == 4 && cut.discontinuity?.foundSeq == 2)
        #expect(cut.discontinuity?.foundHash == cutHash)
        #expect(recorder.takeWarnings().contains { $0.contains("discontinuity at sequence 5") })

        let report = try history.store.verify()
        #expect(report.tampered)
        #expect(report.firstBreak?.kind == .discontinuity && report.firstBreak?.line == 3)
        #expect(!report.findings.contains { $0.kind == .gap })
        // More appends do not make it go away.
        try recorder.outcome(of: next, OutcomeDetails(status: .succeeded))
        try recorder.intent(action: "reset-sessions", target: snapshot(4), reason: nil)
        let later = try history.store.verify()
        #expect(later.findings.filter(\.isTampering).map(\.kind) == [.discontinuity])
        #expect(try history.store.records().map(\.seq) == [1, 2, 5, 6, 7, 8])
    }

    @Test("an edited last record, then an append: recorded as a changed last record")
    func changedLastRecord() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try fourRecords(history)
        try history.write(history.text.replacingOccurrences(of: #""httpStatus":403"#, with: #""httpStatus":200"#))
        let next = try history.recorder().intent(action: "reset-sessions", target: snapshot(3), reason: nil)
        #expect(next.seq == 6)
        let cut = try #require(try history.store.records().first { $0.kind == .discontinuity })
        #expect(cut.seq == 5 && cut.discontinuity?.kind == .lastRecordChanged)
        #expect(try history.store.verify().firstBreak?.kind == .discontinuity)
    }

    @Test("all records cut, tip kept: the next record continues after the highest number written")
    func everythingCut() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try fourRecords(history)
        try history.write("")
        let next = try history.recorder().intent(action: "reset-sessions", target: snapshot(3), reason: nil)
        #expect(next.seq == 6)
        #expect(try history.store.records().first?.discontinuity?.foundSeq == nil)
        #expect(try history.store.verify().tampered)
    }

    @Test("a tip that is only behind, or missing, is repaired without a discontinuity")
    func tipRepaired() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try fourRecords(history)
        // The tip names record 2 (a crash, or tip writes that failed, after it).
        try "2 \(HistoryStore.hash(Array(history.lines[1].utf8)))\n".write(toFile: history.path + ".tip", atomically: true, encoding: .utf8)
        #expect(try history.store.verify().findings.map(\.kind) == [.tipBehind])
        try history.recorder().intent(action: "reset-sessions", target: snapshot(3), reason: nil)
        #expect(try history.store.verify().findings.isEmpty)

        try FileManager.default.removeItem(atPath: history.path + ".tip")
        try history.recorder().intent(action: "reset-sessions", target: snapshot(4), reason: nil)
        let report = try history.store.verify()
        #expect(report.findings.isEmpty)
        #expect(try history.store.records().map(\.seq) == [1, 2, 3, 4, 5, 6])
    }

    @Test("recovery never invents an outcome that was cut: 'outcome record missing (history was cut)', once")
    func recoveryAfterCut() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        // An intent written by a run that has ended, and its succeeded outcome.
        let intent = try history.store.append { seq, prev in
            HistoryRecord(
                v: 1, seq: seq, kind: .intent, actionId: "ended-1", time: "2026-11-24T03:00:00.000Z",
                action: "reset-sessions", target: snapshot(7),
                actor: OperatorIdentity(localUser: "bob", host: "jump1", sshClient: nil, apiUser: nil),
                process: ProcessIdentity(pid: 999_999, start: 1, boot: "another-boot", host: "jump1"),
                profile: nil, baseURL: "http://x", reason: "INC-4711", result: nil, recoveredTornLineAt: nil, prev: prev)
        }
        try history.recorder().outcome(of: intent, OutcomeDetails(status: .succeeded, httpStatus: 200))
        #expect(try history.store.closeAbandonedIntents().isEmpty)
        let ended = history.lines[0]

        // The succeeded outcome is cut.
        try history.write(ended + "\n")
        let found = try history.store.closeAbandonedIntents()
        #expect(found.map(\.status) == [.missing])
        #expect(found[0].checkAdvice.contains("outcome record missing (history was cut)"))
        let records = try history.store.records()
        #expect(records.map(\.kind) == [.intent, .discontinuity])
        #expect(!records.contains { $0.result?.status == .unknown })
        #expect(try history.store.closeAbandonedIntents().isEmpty)
        #expect(try history.store.entries().first?.status == .missing)
        #expect(try history.store.verify().firstBreak?.kind == .discontinuity)
    }
}
