import ECGridKit
import Foundation
import IncidentLog
import IncidentReport

/// Two hosts' histories of one incident, written record by record with fixed times, IDs and
/// processes, so every byte (and so every hash) is the same on every run: a reset; a
/// containment stopped on an unknown reset; a containment that finished, then a watch that saw
/// sessions again; on the second host, a key rotation whose answer was lost, and a reset of
/// another incident (which the report leaves out). Texts from the server are hostile here and
/// there (escape sequences, markup, a pipe).
struct ReportFixture {
    let directory: String
    var jump1: String { directory + "/jump1/history.jsonl" }
    var jump2: String { directory + "/jump2/history.jsonl" }

    static let server = "https://rest.ecgrid.example"
    static let incident = "INC-4711"

    init() throws {
        directory = NSTemporaryDirectory() + "ecgrid-report-fixture-" + UUID().uuidString
        try write(jump1, host: "jump1", records: Self.jump1Records)
        try write(jump2, host: "jump2", records: Self.jump2Records)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// What a record says before the store numbers and links it.
    struct Draft {
        var kind: HistoryRecord.Kind
        var id: String
        var time: String
        var action: String
        var user: Int
        var login: String
        var reason: String? = ReportFixture.incident
        var result: OutcomeDetails?
        var playbook: PlaybookMark?
        var key: KeySnapshot?
        var observation: Observation?
    }

    static let steps = ["password", "sessions", "keys"]

    static let jump1Records: [Draft] = [
        Draft(kind: .intent, id: "a1", time: "2026-11-30T09:00:00.000Z", action: "reset-sessions", user: 40011, login: "ingrid.brennan"),
        Draft(kind: .outcome, id: "a1", time: "2026-11-30T09:00:00.120Z", action: "reset-sessions", user: 40011, login: "ingrid.brennan",
              result: OutcomeDetails(status: .succeeded, httpStatus: 200, success: true, data: "true", latencyMs: 120, attempts: 1,
                                     sessionsBefore: 3, sessionsAfter: 0)),
        // A containment stopped on a lost reset: unfinished.
        Draft(kind: .intent, id: "p1", time: "2026-11-30T09:05:00.000Z", action: "contain", user: 40012, login: "mallory\u{1B}[31m",
              playbook: PlaybookMark(id: "pb-1", steps: steps)),
        Draft(kind: .intent, id: "p1s1", time: "2026-11-30T09:05:00.010Z", action: "set-password", user: 40012, login: "mallory\u{1B}[31m",
              playbook: PlaybookMark(id: "pb-1", steps: steps, step: "password")),
        Draft(kind: .outcome, id: "p1s1", time: "2026-11-30T09:05:00.050Z", action: "set-password", user: 40012, login: "mallory\u{1B}[31m",
              result: OutcomeDetails(status: .succeeded, httpStatus: 200, success: true, data: "true", latencyMs: 40, attempts: 1),
              playbook: PlaybookMark(id: "pb-1", steps: steps, step: "password")),
        Draft(kind: .intent, id: "p1s2", time: "2026-11-30T09:05:00.060Z", action: "reset-sessions", user: 40012, login: "mallory\u{1B}[31m",
              playbook: PlaybookMark(id: "pb-1", steps: steps, step: "sessions")),
        Draft(kind: .outcome, id: "p1s2", time: "2026-11-30T09:05:06.060Z", action: "reset-sessions", user: 40012, login: "mallory\u{1B}[31m",
              result: OutcomeDetails(status: .unknown, latencyMs: 6000, attempts: 1, errorKind: "timeout",
                                     explanation: "No answer in time: the server or the network is slow."),
              playbook: PlaybookMark(id: "pb-1", steps: steps, step: "sessions")),
        Draft(kind: .outcome, id: "p1", time: "2026-11-30T09:05:06.100Z", action: "contain", user: 40012, login: "mallory\u{1B}[31m",
              result: OutcomeDetails(status: .unknown, explanation: "password: succeeded; sessions: OUTCOME UNKNOWN; keys: not run."),
              playbook: PlaybookMark(id: "pb-1", steps: steps)),
        // A containment that finished, then sessions seen again.
        Draft(kind: .intent, id: "p2", time: "2026-11-30T09:10:00.000Z", action: "contain", user: 40013, login: "trent",
              playbook: PlaybookMark(id: "pb-2", steps: ["sessions", "keys"])),
        Draft(kind: .intent, id: "p2s1", time: "2026-11-30T09:10:00.010Z", action: "reset-sessions", user: 40013, login: "trent",
              playbook: PlaybookMark(id: "pb-2", steps: ["sessions", "keys"], step: "sessions")),
        Draft(kind: .outcome, id: "p2s1", time: "2026-11-30T09:10:00.030Z", action: "reset-sessions", user: 40013, login: "trent",
              result: OutcomeDetails(status: .succeeded, httpStatus: 200, success: true, data: "true", latencyMs: 20, attempts: 1),
              playbook: PlaybookMark(id: "pb-2", steps: ["sessions", "keys"], step: "sessions")),
        Draft(kind: .intent, id: "p2s2", time: "2026-11-30T09:10:00.040Z", action: "delete-api-key", user: 40013, login: "trent",
              playbook: PlaybookMark(id: "pb-2", steps: ["sessions", "keys"], step: "keys"), key: KeySnapshot(keyId: 7, visibility: "Private")),
        Draft(kind: .outcome, id: "p2s2", time: "2026-11-30T09:10:00.060Z", action: "delete-api-key", user: 40013, login: "trent",
              result: OutcomeDetails(status: .succeeded, httpStatus: 200, success: true, message: "Key <b>deleted</b> | ok", data: "true",
                                     latencyMs: 20, attempts: 1),
              playbook: PlaybookMark(id: "pb-2", steps: ["sessions", "keys"], step: "keys"), key: KeySnapshot(keyId: 7, visibility: "Private")),
        Draft(kind: .outcome, id: "p2", time: "2026-11-30T09:10:00.100Z", action: "contain", user: 40013, login: "trent",
              result: OutcomeDetails(status: .succeeded, sessionsBefore: 2, sessionsAfter: 0),
              playbook: PlaybookMark(id: "pb-2", steps: ["sessions", "keys"]),
              observation: Observation(openSessions: 0, liveKeys: [], status: "Active", note: "nothing live: no open session, no API key.",
                                       alarming: false)),
        Draft(kind: .observation, id: "o1", time: "2026-11-30T09:12:30.000Z", action: "watch", user: 40013, login: "trent",
              playbook: PlaybookMark(id: "pb-2", steps: [], step: "watch"),
              observation: Observation(openSessions: 1, liveKeys: nil, status: "Active",
                                       note: "1 open session again after the containment: someone still holds a credential", alarming: true)),
    ]

    static let jump2Records: [Draft] = [
        Draft(kind: .intent, id: "b1", time: "2026-11-30T09:07:00.000Z", action: "generate-api-key", user: 40014, login: "eve"),
        Draft(kind: .outcome, id: "b1", time: "2026-11-30T09:07:00.500Z", action: "generate-api-key", user: 40014, login: "eve",
              result: OutcomeDetails(status: .unknown, httpStatus: 500, success: false, errorCode: "RateLimitExceeded",
                                     message: "\u{1B}]0;pwned\u{07}try later", latencyMs: 500, attempts: 1, errorKind: "api")),
        Draft(kind: .intent, id: "b2", time: "2026-11-30T09:08:00.000Z", action: "reset-sessions", user: 40011, login: "ingrid.brennan",
              reason: "INC-9999"),
    ]

    func write(_ path: String, host: String, records: [Draft]) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let store = HistoryStore(path: path, refusesUnsafePaths: false)
        let actor = OperatorIdentity(
            localUser: "alice", host: host, sshClient: "192.0.2.7",
            apiUser: OperatorIdentity.APIUser(User(userId: 1001, login: "sandbox.operator", authLevel: .techOps)))
        // A process that cannot be running (pid 1 at start 0 of another boot): nothing is "in flight".
        let process = ProcessIdentity(pid: 1, start: 0, boot: "fixture-boot", host: host)
        for draft in records {
            var target = TargetSnapshot(userId: draft.user)
            target.login = draft.login
            try store.append { seq, prev in
                HistoryRecord(
                    v: HistoryRecord.formatVersion, seq: seq, kind: draft.kind, actionId: draft.id, time: draft.time,
                    action: draft.action, target: target, actor: actor, process: process, profile: "prod", baseURL: Self.server,
                    reason: draft.reason, result: draft.result, recoveredTornLineAt: nil, prev: prev, playbook: draft.playbook,
                    key: draft.key, observation: draft.observation)
            }
        }
    }

    /// The report of both hosts for the incident, made at a fixed time in a fixed zone.
    func report(against: String? = nil, paths: [String]? = nil) -> IncidentReport {
        IncidentReport.build(
            paths: paths ?? [jump1, jump2], filter: ReportFilter(reason: Self.incident), against: against,
            making: IncidentReport.Making(
                madeAt: Date(timeIntervalSince1970: 1_764_662_400), tool: "ecgrid-console 0.1.0", commit: "fixture",
                timeZone: TimeZone(identifier: "Europe/Berlin") ?? .gmt))
    }
}
