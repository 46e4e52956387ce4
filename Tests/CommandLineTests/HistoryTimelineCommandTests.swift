import ConsoleTestSupport
import ECGridKit
import Foundation
import IncidentLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("history --file A --file B: one timeline from several hosts")
struct HistoryTimelineCommandTests {
    /// Appends an action (intent and outcome) done from `host` at `time` on `user`.
    func action(_ store: HistoryStore, host: String, time: String, user: Int, status: OutcomeDetails.Status) throws {
        let id = UUID().uuidString.lowercased()
        for kind in [HistoryRecord.Kind.intent, .outcome] {
            try store.append { seq, prev in
                HistoryRecord(
                    v: 1, seq: seq, kind: kind, actionId: id, time: time, action: "reset-sessions",
                    target: TargetSnapshot(userId: user), actor: OperatorIdentity(localUser: "op-\(host)", host: host, sshClient: nil, apiUser: nil),
                    process: ProcessIdentity(pid: 999_999, start: 1, boot: "boot-\(host)", host: host), profile: nil,
                    baseURL: "https://rest.ecgrid.io", reason: "INC-\(user)", result: kind == .outcome ? OutcomeDetails(status: status) : nil,
                    recoveredTornLineAt: nil, prev: prev)
            }
        }
    }

    @Test("each copy verified, actions merged by time with their host, --json too; a tampered copy makes exit 1 and is named")
    func timeline() async throws {
        let directory = NSTemporaryDirectory() + "ecgrid-timeline-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/from-jump2", withIntermediateDirectories: true)
        let first = directory + "/jump1.jsonl"
        let second = directory + "/from-jump2/history.jsonl"
        try action(HistoryStore(path: first), host: "jump1", time: "2026-11-24T10:00:00.000Z", user: 1, status: .succeeded)
        try action(HistoryStore(path: second), host: "jump2", time: "2026-11-24T10:05:00.000Z", user: 2, status: .failed)
        try action(HistoryStore(path: first), host: "jump1", time: "2026-11-24T10:10:00.000Z", user: 3, status: .succeeded)
        try action(HistoryStore(path: second), host: "jump2", time: "2026-11-24T09:55:00.000Z", user: 4, status: .unknown)

        // Copies collected into a directory anyone may write are still read: they are only read.
        chmod(directory + "/from-jump2", 0o777)
        let run = try await CLI.run(["history", "--file", first, "--file", second])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("\(first): intact — 4 record(s)"))
        let rows = run.stdout.split(separator: "\n").filter { $0.hasPrefix("2026-") }
        #expect(rows.count == 4)
        #expect(rows.map { $0.contains("jump2") ? "jump2" : "jump1" } == ["jump2", "jump1", "jump2", "jump1"])
        #expect(rows[0].contains("UNKNOWN") && rows[2].contains("FAILED"))

        let json = try await CLI.run(["history", "--file", first, "--file", second, "--json", "--user", "2"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let timeline = try #require(object["timeline"] as? [[String: Any]])
        #expect(timeline.count == 1)
        #expect(timeline.first?["host"] as? String == "jump2")
        #expect(timeline.first?["file"] as? String == second)
        #expect(timeline.first?["status"] as? String == "failed")
        #expect((object["files"] as? [[String: Any]])?.compactMap { $0["intact"] as? Bool } == [true, true])

        // One copy edited: the timeline still shows, the copy is named, exit 1.
        let text = try String(contentsOfFile: second, encoding: .utf8)
        try text.replacingOccurrences(of: "\"failed\"", with: "\"succeeded\"").write(toFile: second, atomically: false, encoding: .utf8)
        let tampered = try await CLI.run(["history", "--file", first, "--file", second])
        #expect(tampered.status == 1)
        #expect(tampered.stdout.contains("\(second): NOT intact"))
        #expect(tampered.stdout.contains("TAMPERING"))
        #expect(tampered.stdout.split(separator: "\n").filter { $0.hasPrefix("2026-") }.count == 4)
    }
}
