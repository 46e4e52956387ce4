import ConsoleTestSupport
import ECGridActions
import ECGridKit
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

/// A sandbox on loopback, a client with the demo operator's key (no real waits between
/// retries) and the pipeline recording into a private history; all removed afterwards.
func withPipeline<T>(
    faults: FaultSettings = FaultSettings(), historyPath: String? = nil,
    _ body: (SandboxServer, ActionPipeline, HistoryStore) async throws -> T
) async throws -> T {
    try await withTemporaryHistory { temporary in
        let store = historyPath.map { HistoryStore(path: $0) } ?? temporary
        return try await withSandbox(users: 50, faults: faults) { server, client in
            try await body(server, .recording(into: store, client: client), store)
        }
    }
}

@Suite("The action pipeline: record, then send")
struct ActionPipelineTests {
    @Test("every user gets an intent before and an outcome after its request; reports keep the order given")
    func recordsThenSends() async throws {
        try await withPipeline { server, pipeline, store in
            let ids = [40012, 40010, 40011]
            let finished = Recorder<Int>()
            _ = await pipeline.run(.resetSessions, userIds: ids, reason: "INC-1", concurrency: 2) { event in
                if case .finished(let report) = event { finished.append(report.outcome.userId) }
            }
            #expect(finished.all.sorted() == ids.sorted())
            let reports = await pipeline.run(.resetSessions, userIds: ids, reason: "INC-2")
            #expect(reports.map(\.outcome.userId) == ids)
            #expect(reports.map(\.status) == [.succeeded, .succeeded, .succeeded])
            #expect(reports.allSatisfy { $0.actionId != nil && $0.reason == "INC-2" })
            let records = try store.records()
            #expect(records.count == 12)
            for report in reports {
                let kinds = records.filter { $0.actionId == report.actionId }.map(\.kind)
                #expect(kinds == [.intent, .outcome])
            }
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 6)
        }
    }

    @Test("a reset re-reads its target before and after: open sessions before → after")
    func rereadsBeforeAndAfter() async throws {
        try await withPipeline { server, pipeline, store in
            _ = try await server.store.openSession(for: 40011)
            let report = try #require(await pipeline.run(.resetSessions, userIds: [40011], reason: nil).first)
            #expect(report.status == .succeeded && report.outcome.sent)
            #expect((report.outcome.sessionsBefore ?? 0) >= 1)
            #expect(report.outcome.sessionsAfter == 0)
            #expect(try store.records().last?.result?.sessionsAfter == 0)
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 1)
        }
    }

    @Test("a 429 on the reset comes back as a retrying event and is in the outcome record")
    func retriesAreEvents() async throws {
        let faults = FaultSettings(rules: [FaultRule(kind: .rateLimited, pathPrefix: "/v2/users/reset", count: 1, retryAfter: 1)])
        try await withPipeline(faults: faults) { _, pipeline, store in
            let retries = Recorder<RetryEvent>()
            let finished = Recorder<ActionStatus>()
            let reports = await pipeline.run(.resetSessions, userIds: [40002], reason: nil) { event in
                switch event {
                case .retrying(let retry): retries.append(retry)
                case .finished(let report): finished.append(report.status)
                }
            }
            #expect(retries.all.map(\.request) == ["POST /v2/users/reset/40002"])
            #expect(reports.map(\.status) == [.succeeded])
            #expect(finished.all == [.succeeded])
            let outcome = try #require(try store.records().last)
            #expect(outcome.kind == .outcome)
            #expect(outcome.result?.retries?.count == 1)
        }
    }

    @Test("a target that cannot be re-read is not sent, and the attempt is recorded as not-sent")
    func failedRereadIsRecorded() async throws {
        try await withPipeline { server, pipeline, store in
            let reports = await pipeline.run(.terminate, userIds: [99_999_999], reason: "INC-3")
            #expect(reports.map(\.status) == [.notSent])
            let records = try store.records()
            #expect(records.map(\.kind) == [.intent, .outcome])
            #expect(records.last?.result?.status == .notSent)
            #expect(records.first?.target?.userId == 99_999_999)
            #expect(await server.store.count(method: "DELETE", pathPrefix: "/v2/users/") == 0)
        }
    }

    @Test("when the intent cannot be written, nothing is sent")
    func unwritableHistorySendsNothing() async throws {
        // A history path under a regular file can never be created.
        let blocker = NSTemporaryDirectory() + "ecgrid-blocker-" + UUID().uuidString
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        defer { try? FileManager.default.removeItem(atPath: blocker) }
        try await withPipeline(historyPath: blocker + "/history.jsonl") { server, pipeline, _ in
            let reports = await pipeline.run(.resetSessions, userIds: [40002], reason: nil)
            #expect(reports.map(\.status) == [.notSent])
            #expect(reports.first?.actionId == nil)
            #expect(reports.first?.outcome.error?.detail.contains("could not be written") == true)
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)
        }
    }
}
