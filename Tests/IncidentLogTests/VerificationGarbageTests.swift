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

    @Test("an outcome record that says in-flight or missing is unreadable, never taken for the outcome")
    func impossibleOutcomeStatus() throws {
        for word in ["in-flight", "missing"] {
            let history = TemporaryHistory()
            defer { history.remove() }
            let recorder = history.recorder()
            let intent = try recorder.intent(action: "reset-sessions", target: snapshot(1), reason: "a")
            try recorder.outcome(of: intent, OutcomeDetails(status: .failed, httpStatus: 403))
            var lines = history.lines
            lines[1] = lines[1].replacingOccurrences(of: "\"status\":\"failed\"", with: "\"status\":\"\(word)\"")
            #expect(lines[1].contains(word))
            try history.write(lines.joined(separator: "\n"))
            let report = try history.store.verify()
            #expect(report.findings.contains { $0.kind == .unreadable && $0.line == 2 }, "\(word): \(report.findings)")
            // The intent is left without an outcome: it shows as one to check, not as settled.
            let entry = try #require(try history.store.entries().first)
            #expect(entry.result == nil && entry.status != .succeeded && entry.status != .failed, "\(word): \(entry.status)")
        }
    }
}
