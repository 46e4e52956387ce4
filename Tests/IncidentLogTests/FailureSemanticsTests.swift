import ECGridKit
import Foundation
import IncidentLog
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("History failures: the record is the truth, the tip a hint; verify reads under a shared lock")
struct FailureSemanticsTests {
    @Test("a tip that cannot be written does not fail a durable append: a warning, no tampering, repaired by the next append")
    func tipWriteFails() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        let recorder = history.recorder()
        let first = try recorder.intent(action: "reset-sessions", target: snapshot(1), reason: nil)
        // The tip's place is taken by a directory with something in it: rename onto it fails.
        try FileManager.default.removeItem(atPath: history.path + ".tip")
        try FileManager.default.createDirectory(atPath: history.path + ".tip/blocked", withIntermediateDirectories: true)
        let outcome = try recorder.outcome(of: first, OutcomeDetails(status: .succeeded))
        #expect(outcome.seq == 2)
        #expect(recorder.takeWarnings().contains { $0.contains("the record itself was written") })
        let report = try history.store.verify()
        #expect(!report.tampered)
        #expect(report.records == 2 && report.openIntents.isEmpty)

        try FileManager.default.removeItem(atPath: history.path + ".tip")
        try recorder.intent(action: "reset-sessions", target: snapshot(2), reason: nil)
        #expect(recorder.takeWarnings().isEmpty)
        #expect(try history.store.verify().findings.isEmpty)
    }

    @Test("verify while 4 writers append: never a false alarm")
    func verifyDuringAppends() async throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try history.recorder().intent(action: "reset-sessions", target: snapshot(0), reason: nil)
        let writers = 4
        let each = 60
        let total = 1 + writers * each
        // Threads of their own, as other processes would be: the writers and the verifier run
        // at the same time whatever the width of the cooperative pool.
        let alarms = Mutex<[String]>([])
        let checks = Mutex(0)
        let group = DispatchGroup()
        for writer in 0..<writers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let recorder = ActionRecorder(
                    store: HistoryStore(path: history.path), operator: .local(), profile: "w\(writer)", baseURL: "x")
                for index in 0..<each {
                    do {
                        try recorder.intent(action: "reset-sessions", target: snapshot(writer * 1000 + index), reason: nil)
                    } catch {
                        alarms.withLock { $0.append("writer \(writer): \(error)") }
                        return
                    }
                }
            }
        }
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            // Verify again and again until every record is there, and once more after.
            var done = false
            while !done {
                do {
                    let report = try HistoryStore(path: history.path).verify()
                    checks.withLock { $0 += 1 }
                    let found = report.findings.filter { $0.isTampering || $0.kind == .tipBehind || $0.kind == .tornLastLine }
                    alarms.withLock { $0 += found.map { "after \(report.records) records: \($0)" } }
                    done = report.records >= total || !alarms.withLock({ $0.isEmpty })
                } catch {
                    alarms.withLock { $0.append("verify: \(error)") }
                    done = true
                }
            }
        }
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { finished.resume() }
        }
        #expect(alarms.withLock { $0 }.isEmpty, "\(alarms.withLock { $0.prefix(5) })")
        #expect(checks.withLock { $0 } > 1)
        #expect(try history.store.records().map(\.seq) == Array(1...total))
    }
}
