import ECGridKit
import Foundation
import IncidentLog
import Testing

@Suite("History timeline: several hosts' copies in one")
struct HistoryTimelineTests {
    @Test("copies are verified, merged oldest first, an action in two copies shown once, a missing copy reported")
    func merges() throws {
        let first = TemporaryHistory()
        let second = TemporaryHistory()
        defer { first.remove(); second.remove() }
        let a = try first.recorder().intent(action: "reset-sessions", target: snapshot(1), reason: "A")
        try first.recorder().outcome(of: a, OutcomeDetails(status: .succeeded))
        let b = try second.recorder().intent(action: "terminate-user", target: snapshot(2), reason: "B")
        try second.recorder().outcome(of: b, OutcomeDetails(status: .failed, httpStatus: 403))
        let missing = first.directory + "/none.jsonl"
        let report = HistoryTimeline.build([first.path, second.path, first.path, missing], filter: HistoryFilter(), limit: nil)
        #expect(report.files.map(\.intact) == [true, true, true, false])
        #expect(report.files.last?.error?.contains("no such file") == true)
        #expect(report.timeline.map(\.entry.reason) == ["A", "B"])
        #expect(report.timeline.map(\.host) == ["jump1", "jump1"])
        let terminations = HistoryTimeline.build([first.path, second.path], filter: HistoryFilter(action: .terminate), limit: nil)
        #expect(terminations.timeline.map(\.entry.target?.userId) == [2])
        #expect(HistoryTimeline.build([first.path, second.path], filter: HistoryFilter(), limit: 1).timeline.map(\.entry.reason) == ["B"])
    }
}
