import Foundation

/// A step of the containment playbook. They always run in this order, the one that leaves an
/// attacker no window: the password first (a reset alone lets a phished password log in again,
/// and a password change leaves live sessions alive), then the sessions, then the API keys
/// (which survive both), then the notice; a read that verifies comes last.
public enum ContainmentStep: String, CaseIterable, Sendable, Codable, Comparable {
    /// A new password (`POST /v2/users/password`), generated here from the system's CSPRNG.
    case password
    /// Every bearer session revoked (`POST /v2/users/reset/{id}`).
    case sessions
    /// Every listed API key deleted (`DELETE /v2/keys`, one a key).
    case keys
    /// An SMS notice the operator wrote (`POST /v2/users/send-sms`).
    case notify

    /// The steps when none are named: `password,sessions,keys`.
    public static let defaults: [ContainmentStep] = [.password, .sessions, .keys]

    /// Steps that need the operator to be `NetworkAdmin` or higher.
    public var minimumAuthLevel: AuthLevel? {
        switch self {
        case .password, .keys: .networkAdmin
        case .sessions, .notify: nil
        }
    }

    /// The action each request of this step is.
    public var action: UserAction {
        switch self {
        case .password: .setPassword
        case .sessions: .resetSessions
        case .keys: .deleteKey
        case .notify: .sendNotice
        }
    }

    /// What the step does, in the docs' words.
    public var summary: String {
        switch self {
        case .password: "set a new password (the old one no longer logs in; open sessions stay live)"
        case .sessions: "reset sessions (every bearer token stops working; API keys keep working)"
        case .keys: "delete the user's API keys (each stops working at once)"
        case .notify: "send the SMS notice (to the user's configured cell number)"
        }
    }

    public static func < (lhs: ContainmentStep, rhs: ContainmentStep) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }

    /// Parses `password,sessions,keys,notify` (any order, any subset; the order that runs is
    /// always the playbook's). Throws the words that are not steps.
    public static func parse(_ text: String) throws(ContainmentPlan.Problem) -> [ContainmentStep] {
        let words = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        let unknown = words.filter { ContainmentStep(rawValue: $0) == nil }
        guard unknown.isEmpty else {
            throw .init("unknown step(s) \(unknown.joined(separator: ", ")); the steps are "
                + allCases.map(\.rawValue).joined(separator: ", "))
        }
        let steps = Set(words.compactMap(ContainmentStep.init(rawValue:))).sorted()
        guard !steps.isEmpty else { throw .init("no step chosen; the steps are " + allCases.map(\.rawValue).joined(separator: ", ")) }
        return steps
    }
}

/// What a containment will do, the same for every user of one run: the steps (in the
/// playbook's order), the notice, the reason, and the playbook's id that ties every record of
/// it together.
public struct ContainmentPlan: Sendable, Equatable {
    /// The chosen steps, in the order they run.
    public private(set) var steps: [ContainmentStep]
    /// The text of the SMS notice (the `notify` step).
    public var notice: String?
    /// The operator's reason or ticket, on every record.
    public var reason: String?
    /// One id for every record of this run (and of `--resume` runs that finish it).
    public var playbookId: String

    /// A plan; `steps` are put in the playbook's order and made unique.
    public init(steps: [ContainmentStep], notice: String? = nil, reason: String? = nil, playbookId: String = UUID().uuidString.lowercased()) {
        self.steps = Set(steps).sorted()
        self.notice = notice
        self.reason = reason
        self.playbookId = playbookId
    }

    /// Why a plan cannot run, in words.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Why the plan cannot be run by `operatorUser` on `targets`, before anything is sent:
    /// a notice step without a notice, a notice too long for an SMS, a target that is the
    /// operator (containing yourself deletes the key you are using), an AuthLevel too low for a
    /// chosen step. Empty when it can run.
    public func refusals(operatorUser: User?, targets: [Int]) -> [Problem] {
        var problems: [Problem] = []
        if steps.contains(.notify) {
            let text = notice?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if text.isEmpty { problems.append(.init("the notify step needs the notice's text (--notify TEXT)")) }
            if text.count > Self.maximumNotice {
                problems.append(.init("the notice is \(text.count) characters; an SMS takes at most \(Self.maximumNotice)"))
            }
        } else if notice != nil {
            problems.append(.init("a notice was given but the notify step was not chosen (add notify to --steps)"))
        }
        if let me = operatorUser {
            if targets.contains(me.userId) {
                problems.append(.init("user \(me.userId) is you (\(me.login)): containing yourself would delete the key or "
                    + "end the session you are using; ask another operator"))
            }
            for step in steps {
                guard let needed = step.minimumAuthLevel else { continue }
                if !(me.authLevel?.isAtLeast(needed) ?? false) {
                    problems.append(.init("the \(step.rawValue) step needs \(needed.rawValue) or higher; you are "
                        + (me.authLevel?.rawValue ?? "of an unknown AuthLevel")))
                }
            }
        } else if steps.contains(where: { $0.minimumAuthLevel != nil }) {
            problems.append(.init("your own user (GET /v2/users/me) could not be read, so neither your AuthLevel nor "
                + "whether a target is you can be checked"))
        }
        return problems
    }

    /// The longest notice sent: one SMS.
    public static let maximumNotice = 160

    /// Every request the playbook sends for `user`, in order, with bodies and without secrets:
    /// what `--dry-run` prints. `keys` are the keys listed now (the run lists them again).
    public func requests(for user: User, keys: [APIKeyRecord]) -> [String] {
        let id = user.userId
        var lines = ["GET /v2/users/\(id)  (re-read the target)"]
        for step in steps {
            switch step {
            case .password:
                lines.append(#"POST /v2/users/password  {"userId":\#(id),"newPassword":"<generated here: \#(PasswordPolicy.generatedLength) characters, shown once>"}"#)
            case .sessions:
                lines.append("POST /v2/users/reset/\(id)")
            case .keys:
                lines.append(#"POST /v2/keys/list  {"userId":\#(id)}  (the keys are listed again when the step runs)"#)
                if keys.isEmpty { lines.append("  (no API key listed now: nothing to delete)") }
                for key in keys { lines.append(#"DELETE /v2/keys  {"keyId":\#(key.keyId)}  (\#(key.label))"#) }
            case .notify:
                let text = String(data: (try? JSONEncoder().encode(notice ?? "")) ?? Data(), encoding: .utf8) ?? "\"\""
                lines.append(#"POST /v2/users/send-sms  {"userId":\#(id),"message":\#(text)}"#)
            }
        }
        lines.append("GET /v2/users/\(id)  (verify: open sessions)")
        lines.append(#"POST /v2/keys/list  {"userId":\#(id)}  (verify: keys still listed)"#)
        return lines
    }
}
