import ECGridKit
import Foundation
import Testing

/// The keys of an encoded value's top-level object.
func keys(of value: some Encodable) throws -> Set<String> {
    let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value))
    return Set((object as? [String: Any])?.keys.map { $0 } ?? [])
}

let target = User(userId: 40002, login: "ingrid.brennan", firstName: "Ingrid", lastName: "Brennan", networkId: 10, mailboxId: 0, status: .active)

func exchange(_ request: String, status: Int = 200) -> ExchangeRecord {
    ExchangeRecord(request: request, httpStatus: status, success: true, errorCode: nil, message: nil, dataSummary: "true",
        latencyMs: 12, attempts: 1)
}

@Suite("One report type: ActionReport, its --json and its lines")
struct ActionReportTests {
    @Test("a reset's --json has the reset keys; a rotation's and a termination's the escalation keys")
    func jsonShapes() throws {
        var after = target
        after.openSessions = 0
        var before = target
        before.openSessions = 3
        let reset = ActionReport(
            outcome: ActionOutcome(action: .resetSessions, userId: 40002, before: before, after: after, sent: true, succeeded: true,
                exchange: exchange("POST /v2/users/reset/40002")),
            actionId: "a1", reason: "INC-1")
        #expect(try keys(of: reset.json) == ["userId", "login", "succeeded", "sent", "outcome", "httpStatus", "sessionsBefore",
            "sessionsAfter", "latencyMs", "attempts", "reason", "actionId"])
        let rotation = ActionReport(
            outcome: ActionOutcome(action: .rotateKey, userId: 40002, before: target, sent: true, succeeded: true,
                exchange: exchange("POST /v2/users/key-generate/40002"), newKey: Secret("sbx_new")),
            actionId: "a2")
        #expect(try keys(of: rotation.json) == ["action", "userId", "login", "succeeded", "sent", "outcome", "httpStatus", "status",
            "apiKey", "latencyMs", "attempts", "actionId"])
        #expect(rotation.json.apiKey == "sbx_new" && rotation.json.action == "generate-api-key")
        let batch = ActionReport.BatchJSON([reset], reason: "INC-1")
        #expect(try keys(of: batch) == ["results", "succeeded", "failed", "unknown", "notSent", "reason"])
        #expect(batch.succeeded == 1 && batch.failed == 0)
    }

    @Test("a refused termination: its words, the HTTP status and code, what the server said")
    func failureLines() {
        let error = ECGridError(.api, httpStatus: 403, errorCode: "AccessDenied", serverMessage: "Not yours.", request: "DELETE /v2/users/40002")
        let report = ActionReport(
            outcome: ActionOutcome(action: .terminate, userId: 40002, before: target, sent: true, succeeded: false, error: error),
            actionId: "a3")
        #expect(report.lines.first == "terminate 40002 ingrid.brennan: FAILED (HTTP 403 AccessDenied)")
        #expect(report.lines.contains("  Server said: Not yours."))
        #expect(report.json.explanation?.hasPrefix("Access denied") == true)
    }

    @Test("a new key is in the lines once; a termination says the status now")
    func successLines() {
        var after = target
        after.status = .terminated
        let rotation = ActionReport(
            outcome: ActionOutcome(action: .rotateKey, userId: 40002, before: target, sent: true, succeeded: true,
                exchange: exchange("POST /v2/users/key-generate/40002"), newKey: Secret("sbx_new")),
            actionId: "a4")
        #expect(rotation.lines.filter { $0.contains("sbx_new") }.count == 1)
        let termination = ActionReport(
            outcome: ActionOutcome(action: .terminate, userId: 40002, before: target, after: after, sent: true, succeeded: true,
                exchange: exchange("DELETE /v2/users/40002")),
            actionId: "a5")
        #expect(termination.lines == ["terminate 40002 ingrid.brennan: succeeded (HTTP 200, 12 ms). Status now: Terminated."])
    }

    @Test("the headline: status and code, each when known")
    func headline() {
        #expect(Headline.of(httpStatus: 403, code: "AccessDenied") == "HTTP 403 AccessDenied")
        #expect(Headline.of(httpStatus: 500, code: "") == "HTTP 500")
        #expect(Headline.of(httpStatus: nil, code: nil) == "")
        #expect(ECGridError(.connectionRefused).headline == "connection refused")
        #expect(ECGridError(.api, httpStatus: 429, errorCode: "RateLimitExceeded").codeHeadline == "HTTP 429 RateLimitExceeded")
    }
}
