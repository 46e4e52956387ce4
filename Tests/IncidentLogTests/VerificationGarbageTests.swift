import IncidentLog
import Testing

@Suite("history verify names every unreadable line")
struct VerificationGarbageTests {
    @Test("two garbage lines in a row: the first is named first, the second too")
    func twoGarbageLines() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        let recorder = history.recorder()
        let first = try recorder.intent(action: "reset-sessions", target: snapshot(1), reason: "a")
        try recorder.outcome(of: first, OutcomeDetails(status: .succeeded))
        let second = try recorder.intent(action: "reset-sessions", target: snapshot(2), reason: "b")
        try recorder.outcome(of: second, OutcomeDetails(status: .failed, httpStatus: 403))
        var lines = history.lines
        lines.insert("garbage one", at: 1)
        lines.insert("garbage two", at: 2)
        try history.write(lines.joined(separator: "\n"))
        let report = try history.store.verify()
        #expect(report.tampered)
        #expect(report.firstBreak?.line == 2 && report.firstBreak?.kind == .unreadable)
        let unreadable = report.findings.filter { $0.kind == .unreadable }.compactMap(\.line)
        #expect(unreadable == [2, 3])
    }
}
