import Foundation
import IncidentLog
import Testing

@Suite("Where a run's history and its syslog copy go")
struct HistoryPlaceTests {
    @Test("ECGRID_CONSOLE_HISTORY, else XDG; the sandbox's history beside the real one unless a file is named")
    func store() {
        let xdg = ["XDG_STATE_HOME": "/home/op/.state"]
        #expect(HistoryStore.forRun(sandbox: false, environment: xdg).path == "/home/op/.state/ecgrid-console/history.jsonl")
        #expect(HistoryStore.forRun(sandbox: true, environment: xdg).path == "/home/op/.state/ecgrid-console/sandbox-history.jsonl")
        let named = xdg.merging(["ECGRID_CONSOLE_HISTORY": "/srv/team/history.jsonl"]) { $1 }
        #expect(HistoryStore.forRun(sandbox: false, environment: named).path == "/srv/team/history.jsonl")
        #expect(HistoryStore.forRun(sandbox: true, environment: named).path == "/srv/team/history.jsonl")
    }

    @Test("syslog: on by default where a socket exists, off on request, a named socket; the sandbox only to a named socket")
    func syslog() {
        let everySocket: (String) -> Bool = { _ in true }
        #expect(SyslogForwarder.forRun(sandbox: false, setting: nil, exists: everySocket) != nil)
        #expect(SyslogForwarder.forRun(sandbox: false, setting: "off", exists: everySocket) == nil)
        #expect(SyslogForwarder.forRun(sandbox: true, setting: nil, exists: everySocket) == nil)
        #expect(SyslogForwarder.forRun(sandbox: true, setting: "on", exists: everySocket) == nil)
        #expect(SyslogForwarder.forRun(sandbox: true, setting: "/tmp/log.sock", exists: everySocket)?.socketPath == "/tmp/log.sock")
        #expect(SyslogForwarder.forRun(sandbox: false, setting: nil, exists: { _ in false }) == nil)
    }
}
