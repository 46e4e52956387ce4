import ConsoleTestSupport
import ECGridActions
import ECGridKit
import ECGridSandbox
import ECGridTransport
import Foundation
import IncidentLog
import Synchronization
import Testing

/// Keeps the passwords the containment hands over, as the operator's chosen place would.
final class CapturedPasswords: PasswordDelivery {
    private let kept = Mutex<[Int: [String]]>([:])
    func deliver(_ password: Secret, for user: User) throws -> String {
        kept.withLock { $0[user.userId, default: []].append(password.revealed) }
        return "kept by the test"
    }
    func all(_ userId: Int) -> [String] { kept.withLock { $0[userId] ?? [] } }
}

/// The requests of the sandbox's log that change state, as `METHOD path`.
func stateChanging(_ server: SandboxServer) async -> [String] {
    await server.store.requests.filter { $0.method != "GET" && $0.path != "/v2/keys/list" }.map { "\($0.method) \($0.path)" }
}

@Suite("The containment playbook against the sandbox over HTTPS")
struct ContainmentTests {
    let plan = ContainmentPlan(steps: ContainmentStep.defaults, reason: "INC-7")

    @Test("one user: password, then sessions, then every key, in that order from the sandbox's own log; verified; one record pair a step, one playbook id")
    func order() async throws {
        try await withPipeline { server, pipeline, store in
            let id = 40011
            _ = try await server.store.openSession(for: id)
            let keysBefore = await server.store.apiKeys(of: id)
            #expect(!keysBefore.isEmpty)
            let passwords = CapturedPasswords()
            let report = try #require(await Containment(pipeline: pipeline, delivery: passwords).run(plan, userIds: [id]).first)
            #expect(report.status == .succeeded, "\(report.steps.map(\.note))")
            #expect(report.steps.map(\.step) == [.password, .sessions, .keys])
            #expect(report.verification?.openSessions == 0 && report.verification?.liveKeys == [])
            #expect(report.verification?.alarming == false)
            let requests = await stateChanging(server)
            #expect(requests == ["POST /v2/users/password", "POST /v2/users/reset/\(id)"]
                + Array(repeating: "DELETE /v2/keys", count: keysBefore.count))
            let records = try store.records()
            #expect(Set(records.compactMap(\.playbook?.id)) == [plan.playbookId])
            #expect(records.allSatisfy { $0.playbook != nil && $0.reason == "INC-7" })
            let actions = records.map { "\($0.kind.rawValue) \($0.action)" }
            #expect(actions.first == "intent contain" && actions.last == "outcome contain")
            for name in ["set-password", "reset-sessions"] {
                #expect(actions.filter { $0.hasSuffix(" " + name) } == ["intent " + name, "outcome " + name])
            }
            #expect(records.filter { $0.action == "delete-api-key" }.count == 2 * keysBefore.count)
            #expect(records.last?.observation?.openSessions == 0)
            // The password went to the one place, and nowhere into the history.
            let password = try #require(passwords.all(id).first)
            #expect(passwords.all(id).count == 1)
            let file = try String(contentsOfFile: store.path, encoding: .utf8)
            #expect(!file.contains(password))
            for key in keysBefore { #expect(!file.contains(key)) }
            #expect(try !store.verify().tampered)
        }
    }

    @Test("afterwards the attacker's token, the old password and every old key are refused; the new password logs in")
    func attackerLockedOut() async throws {
        try await withPipeline { server, pipeline, _ in
            let id = 40012
            let oldPassword = try #require(await server.store.password(of: id))
            let oldKeys = await server.store.apiKeys(of: id)
            let attacker = pipeline.client.withCredentials(nil)
            let login = try #require(await server.store.user(id)).login
            let token = try await attacker.login(login: login, password: Secret(oldPassword)).value.token
            let asAttacker = pipeline.client.withCredentials(StaticCredential(.bearer(Secret(token))))
            #expect(try await asAttacker.me().value.userId == id)
            let passwords = CapturedPasswords()
            let report = try #require(await Containment(pipeline: pipeline, delivery: passwords).run(plan, userIds: [id]).first)
            #expect(report.status == .succeeded)
            await #expect(throws: ECGridError.self) { _ = try await asAttacker.me() }
            await #expect(throws: ECGridError.self) { _ = try await attacker.login(login: login, password: Secret(oldPassword)) }
            for key in oldKeys {
                let error = await errorOf { _ = try await pipeline.client.withCredentials(StaticCredential(.apiKey(Secret(key)))).me() }
                #expect(error?.httpStatus == 401 && error?.errorCode == "InvalidAPIKey")
            }
            let fresh = try #require(passwords.all(id).last)
            #expect(try await attacker.login(login: login, password: Secret(fresh)).value.userId == id)
        }
    }

    @Test("the answer lost at each step: that step is unknown, nothing after it is sent, and resume finishes it sending each step the right number of times")
    func lostAnswerThenResume() async throws {
        let cases: [(ContainmentStep, String, String)] = [
            (.password, "POST", "/v2/users/password"), (.sessions, "POST", "/v2/users/reset/"), (.keys, "DELETE", "/v2/keys"),
        ]
        for (index, (step, method, path)) in cases.enumerated() {
            try await withPipeline { server, pipeline, store in
                let id = 40020 + index
                _ = try await server.store.openSession(for: id)
                let keys = await server.store.apiKeys(of: id).count
                await server.setFaults(FaultSettings(rules: [FaultRule(kind: .drop, pathPrefix: path, method: method, count: 1)]))
                let passwords = CapturedPasswords()
                let containment = Containment(pipeline: pipeline, delivery: passwords)
                let first = try #require(await containment.run(plan, userIds: [id]).first)
                #expect(first.status == .unknown, "\(step): \(first.steps.map(\.note))")
                #expect(first.stoppedAt?.step == step)
                let after = first.steps.drop { $0.step != step }.dropFirst()
                #expect(after.allSatisfy { $0.status == nil }, "\(step): a step after the lost one ran")
                #expect(first.next.contains("--resume") && !first.next.lowercased().contains("try again"))
                let sentBefore = await stateChanging(server)
                // Resume: from the history alone.
                let unfinished = ContainmentHistory.unfinished(
                    in: HistoryEntry.entries(from: try store.lines()), baseURL: pipeline.client.baseURL.description)
                #expect(unfinished.map(\.userId) == [id] && unfinished.first?.plan.playbookId == plan.playbookId)
                #expect(unfinished.first?.stepStatus[step] == .unknown)
                let resumed = try #require(await containment.resume(unfinished).first)
                #expect(resumed.status == .succeeded, "\(step): \(resumed.steps.map(\.note))")
                let sentAfter = Array(await stateChanging(server).dropFirst(sentBefore.count))
                switch step {
                case .password:
                    // A lost password is set again, with a new one: the operator gets only that one.
                    #expect(sentAfter.first == "POST /v2/users/password")
                    #expect(passwords.all(id).count == 1)
                    #expect(sentAfter.filter { $0 == "POST /v2/users/password" }.count == 1)
                case .sessions:
                    // The reset went through before the drop: a re-read shows no session, so no second reset.
                    #expect(!sentAfter.contains { $0.hasPrefix("POST /v2/users/password") }, "the password, done, was sent again")
                    #expect(!sentAfter.contains { $0.hasPrefix("POST /v2/users/reset") }, "\(sentAfter)")
                    #expect(resumed.steps.first { $0.step == .sessions }?.earlier == true)
                case .keys:
                    #expect(!sentAfter.contains { $0.hasPrefix("POST") }, "\(sentAfter)")
                    // The dropped deletion happened: only the keys still listed are deleted.
                    #expect(sentAfter.filter { $0 == "DELETE /v2/keys" }.count == keys - 1)
                case .notify: break
                }
                #expect(await server.store.apiKeys(of: id).isEmpty || !plan.steps.contains(.keys))
                #expect(await server.store.liveSessionCount(id) == 0)
                #expect(ContainmentHistory.unfinished(
                    in: HistoryEntry.entries(from: try store.lines()), baseURL: pipeline.client.baseURL.description).isEmpty)
                #expect(try !store.verify().tampered)
            }
        }
    }

    @Test("a 403 at a step stops the playbook there with FAILED; nothing after it is sent")
    func refusedStep() async throws {
        try await withPipeline { server, pipeline, _ in
            let id = 40030
            await server.setFaults(FaultSettings(rules: [
                FaultRule(kind: .canned, pathPrefix: "/v2/users/reset/", method: "POST", status: 403,
                          body: Array(#"{"success":false,"data":null,"errorCode":"AccessDenied","message":"No."}"#.utf8)),
            ]))
            let report = try #require(await Containment(pipeline: pipeline, delivery: CapturedPasswords()).run(plan, userIds: [id]).first)
            #expect(report.status == .failed)
            #expect(report.steps.map(\.status) == [.succeeded, .failed, nil])
            #expect(report.steps[1].note.contains("AccessDenied"))
            #expect(await server.store.count(method: "DELETE", pathPrefix: "/v2/keys") == 0)
        }
    }

    @Test("the notice: sent last, never holding the password; a user without a cell number gets the server's 400 in words")
    func notice() async throws {
        try await withPipeline { server, pipeline, _ in
            let notify = ContainmentPlan(steps: [.password, .sessions, .notify], notice: "Support reset your ECGrid login.", reason: nil)
            let passwords = CapturedPasswords()
            let reports = await Containment(pipeline: pipeline, delivery: passwords).run(notify, userIds: [40011, 40012])
            let sent = await server.store.sentSMS
            for report in reports where report.status == .succeeded {
                let message = try #require(sent.first { $0.userId == report.userId }?.message)
                #expect(message == "Support reset your ECGrid login.")
                for password in passwords.all(report.userId) { #expect(!message.contains(password)) }
            }
            for report in reports where report.status == .failed {
                #expect(report.stoppedAt?.step == .notify)
                #expect(report.stoppedAt?.note.contains("InvalidParameter") == true)
            }
        }
    }

    @Test("the watch records an observation when sessions appear again, once each time the count rises")
    func watch() async throws {
        try await withPipeline { server, pipeline, store in
            let id = 40013
            let passwords = CapturedPasswords()
            let report = try #require(await Containment(pipeline: pipeline, delivery: passwords).run(plan, userIds: [id]).first)
            let target = try #require(ContainmentWatch.Target(report, reason: "INC-7"))
            let rounds = Recorder<Int>()
            var watch = ContainmentWatch(client: pipeline.client, recorder: pipeline.recorder, interval: .seconds(30), duration: .seconds(90))
            // Each "wait" opens one more session, as an attacker with a credential would.
            let sandbox = server.store
            watch.sleep = { _ in _ = try await sandbox.openSession(for: id) }
            let seen = await watch.run([target]) { event in if case .round(let round, _) = event { rounds.append(round) } }
            #expect(rounds.all == [1, 2, 3])
            #expect(seen.map(\.openSessions) == [1, 2, 3])
            let observations = try store.records().filter { $0.kind == .observation }
            #expect(observations.count == 3 && observations.allSatisfy { $0.observation?.alarming == true })
            #expect(observations.allSatisfy { $0.playbook?.id == report.playbookId && $0.target?.userId == id })
        }
    }

    @Test("refusals before anything is sent: yourself, an AuthLevel too low for a step, a notice without its step")
    func refusals() async throws {
        try await withSandbox(users: 30) { server, client in
            let me = try await client.me().value
            #expect(!plan.refusals(operatorUser: me, targets: [me.userId]).isEmpty)
            #expect(plan.refusals(operatorUser: me, targets: [40011]).isEmpty)
            var viewer = me
            viewer.authLevel = .networkUser
            let low = plan.refusals(operatorUser: viewer, targets: [40011]).map(\.description)
            #expect(low.contains { $0.contains("password step needs NetworkAdmin") })
            #expect(low.contains { $0.contains("keys step needs NetworkAdmin") })
            #expect(ContainmentPlan(steps: [.sessions], reason: nil).refusals(operatorUser: viewer, targets: [40011]).isEmpty)
            #expect(!ContainmentPlan(steps: [.sessions], notice: "x", reason: nil).refusals(operatorUser: me, targets: [1]).isEmpty)
            #expect(!ContainmentPlan(steps: [.notify], reason: nil).refusals(operatorUser: me, targets: [1]).isEmpty)
            #expect(await server.store.requests.count == 1)
        }
    }

    @Test("steps parse in any order and always run in the playbook's; unknown words are named")
    func stepsParse() throws {
        #expect(try ContainmentStep.parse("keys,password") == [.password, .keys])
        #expect(try ContainmentStep.parse("notify, sessions,notify") == [.sessions, .notify])
        #expect(throws: ContainmentPlan.Problem.self) { try ContainmentStep.parse("password,verify,frob") }
        #expect(throws: ContainmentPlan.Problem.self) { try ContainmentStep.parse("") }
        #expect(PasswordPolicy.accepts(PasswordPolicy.generate().revealed))
        #expect(Set((0..<50).map { _ in PasswordPolicy.generate().revealed }).count == 50)
    }
}

/// The error `body` throws, as an `ECGridError`.
func errorOf(_ body: () async throws -> Void) async -> ECGridError? {
    do {
        try await body()
        return nil
    } catch {
        return error as? ECGridError
    }
}
