import ECGridKit

/// One line of the incident history. Before a state-changing request is sent, an `intent`
/// record is appended and flushed; after the answer (or failure), an `outcome` record with the
/// same `actionId`. Each line carries the SHA-256 of the line before it (`prev`), so edits, gaps
/// and truncation show. No record ever holds a credential.
public struct HistoryRecord: Codable, Sendable, Equatable {
    /// The format version this code writes.
    public static let formatVersion = 1

    /// What a line records: the intent of an action, its outcome, a `discontinuity` found
    /// before an append (the file's end did not match its tip), or an `observation`: what a read
    /// found after a containment (sessions open again, say), tied to its playbook.
    public enum Kind: String, Codable, Sendable { case intent, outcome, discontinuity, observation }

    /// Format version.
    public var v: Int
    /// 1 for the first record of the file, then one more for each record.
    public var seq: Int
    public var kind: Kind
    /// Ties an outcome to its intent.
    public var actionId: String
    /// UTC, milliseconds: `2026-11-24T21:50:00.123Z`.
    public var time: String
    /// What was done: `reset-sessions`, `generate-api-key`, `terminate-user`.
    public var action: String
    /// Who it was done to, as the server described them just before.
    public var target: TargetSnapshot?
    /// Who did it.
    public var actor: OperatorIdentity
    /// The process that wrote the record (tells a crashed run from one still in flight).
    public var process: ProcessIdentity
    public var profile: String?
    public var baseURL: String
    /// The operator's reason or ticket reference.
    public var reason: String?
    /// What happened (outcome records only).
    public var result: OutcomeDetails?
    /// Byte offset of a torn line (left by a crash) that this append closed.
    public var recoveredTornLineAt: Int?
    /// What was expected at the file's end and what was found (discontinuity records only).
    public var discontinuity: Discontinuity?
    /// The containment this record belongs to, and its step (the records of a playbook).
    public var playbook: PlaybookMark?
    /// The API key a `delete-api-key` record is about (never its string).
    public var key: KeySnapshot?
    /// The text of a `send-sms` notice (never a password: the playbook refuses one that holds it).
    public var notice: String?
    /// What a read found (observation records, and a containment's verification outcome).
    public var observation: Observation?
    /// SHA-256 (hex) of the previous line, or 64 zeros for the first.
    public var prev: String

    public init(
        v: Int, seq: Int, kind: Kind, actionId: String, time: String, action: String, target: TargetSnapshot?,
        actor: OperatorIdentity, process: ProcessIdentity, profile: String?, baseURL: String, reason: String?,
        result: OutcomeDetails?, recoveredTornLineAt: Int?, prev: String, discontinuity: Discontinuity? = nil,
        playbook: PlaybookMark? = nil, key: KeySnapshot? = nil, notice: String? = nil, observation: Observation? = nil
    ) {
        self.v = v
        self.seq = seq
        self.kind = kind
        self.actionId = actionId
        self.time = time
        self.action = action
        self.target = target
        self.actor = actor
        self.process = process
        self.profile = profile
        self.baseURL = baseURL
        self.reason = reason
        self.result = result
        self.recoveredTornLineAt = recoveredTornLineAt
        self.discontinuity = discontinuity
        self.playbook = playbook
        self.key = key
        self.notice = notice
        self.observation = observation
        self.prev = prev
    }

    enum CodingKeys: String, CodingKey {
        case v, seq, kind, actionId, time, action, target, actor = "operator", process, profile, baseURL, reason, result
        case recoveredTornLineAt, discontinuity, playbook, key, notice, observation, prev
    }
}

/// Where a record stands in a containment playbook: the playbook's id (one per run of
/// `contain`, kept by `--resume`), the steps chosen, and the step this record is about (none on
/// the record of the playbook itself, the `contain` entry of each user).
public struct PlaybookMark: Codable, Sendable, Equatable {
    public var id: String
    /// The steps chosen, in the order they run (`password`, `sessions`, `keys`, `notify`).
    public var steps: [String]
    /// The step of this record; nil on the playbook's own `contain` records.
    public var step: String?

    public init(id: String, steps: [String], step: String? = nil) {
        self.id = id
        self.steps = steps
        self.step = step
    }
}

/// An API key as the history names it: its ID, visibility and creation, never its string.
public struct KeySnapshot: Codable, Sendable, Equatable, Hashable {
    public var keyId: Int
    public var visibility: String?
    public var created: String?

    public init(_ key: APIKeyRecord) {
        keyId = key.keyId
        visibility = key.visibility?.rawValue
        created = key.created?.text
    }

    public init(keyId: Int, visibility: String? = nil, created: String? = nil) {
        self.keyId = keyId
        self.visibility = visibility
        self.created = created
    }
}

/// What a read of a user found after (or while checking) a containment: live sessions, the
/// API keys still listed, the status, and in a sentence what it means.
public struct Observation: Codable, Sendable, Equatable {
    public var openSessions: Int?
    /// The keys the server still lists (nil when they were not read).
    public var liveKeys: [KeySnapshot]?
    public var status: String?
    /// What it means, for the operator and the report.
    public var note: String
    /// True when something that should be gone is live (sessions, keys): someone may still
    /// hold a credential.
    public var alarming: Bool

    public init(openSessions: Int?, liveKeys: [KeySnapshot]?, status: String?, note: String, alarming: Bool) {
        self.openSessions = openSessions
        self.liveKeys = liveKeys
        self.status = status
        self.note = note
        self.alarming = alarming
    }
}

extension HistoryRecord {
    /// The longest line a record may take, in bytes: with the syslog header and structured data
    /// it stays under rsyslog's default message size (8 KiB), so no copy of it is ever cut.
    public static let maxLineBytes = 6 * 1024

    /// The record with its free text (reason, names, the server's message, explanations,
    /// retries) shortened until its line fits in `maxBytes`: done before the record is hashed,
    /// so what is stored, hashed and sent is the same. Shortened text ends with `…`.
    func fitted(maxBytes: Int = HistoryRecord.maxLineBytes, size: (HistoryRecord) -> Int) -> HistoryRecord {
        guard size(self) > maxBytes else { return self }
        var limit = 1024
        var fitted = self
        while limit >= 16 {
            fitted = shortened(to: limit)
            if size(fitted) <= maxBytes { return fitted }
            limit /= 2
        }
        return fitted
    }

    private func shortened(to limit: Int) -> HistoryRecord {
        func cut(_ text: String?) -> String? {
            guard let text, text.count > limit else { return text }
            return String(text.prefix(limit - 1)) + "…"
        }
        var copy = self
        copy.reason = cut(reason)
        copy.profile = cut(profile)
        copy.baseURL = cut(baseURL) ?? ""
        copy.target?.login = cut(target?.login)
        copy.target?.name = cut(target?.name)
        copy.target?.authLevel = cut(target?.authLevel)
        copy.actor.localUser = cut(actor.localUser) ?? ""
        copy.actor.host = cut(actor.host) ?? ""
        copy.actor.sshClient = cut(actor.sshClient)
        copy.actor.apiUser?.login = cut(actor.apiUser?.login) ?? ""
        copy.result?.message = cut(result?.message)
        copy.result?.data = cut(result?.data)
        copy.result?.errorCode = cut(result?.errorCode)
        copy.result?.errorKind = cut(result?.errorKind)
        copy.result?.explanation = cut(result?.explanation)
        if let retries = result?.retries {
            let kept = retries.prefix(8).map { cut($0) ?? "" }
            copy.result?.retries = retries.count > 8 ? kept + ["… \(retries.count - 8) more"] : kept
        }
        return copy
    }
}

/// The target of an action, as re-read from the server just before it.
public struct TargetSnapshot: Codable, Sendable, Equatable {
    public var userId: Int
    public var login: String?
    public var name: String?
    public var networkId: Int?
    public var mailboxId: Int?
    public var authLevel: String?
    public var openSessions: Int?

    public init(_ user: User) {
        userId = user.userId
        login = user.login
        name = user.displayName
        networkId = user.networkId
        mailboxId = user.mailboxId
        authLevel = user.authLevel?.rawValue
        openSessions = user.openSessions
    }

    public init(userId: Int) { self.userId = userId }
}

/// Who acted: the person at the keyboard and the ECGrid user their credential belongs to.
public struct OperatorIdentity: Codable, Sendable, Equatable {
    /// The local account name.
    public var localUser: String
    /// The machine's host name.
    public var host: String
    /// The SSH client's address, when the session came in over SSH.
    public var sshClient: String?
    /// The ECGrid user from `GET /v2/users/me`, when known.
    public var apiUser: APIUser?

    public struct APIUser: Codable, Sendable, Equatable {
        public var userId: Int
        public var login: String
        public var authLevel: String?

        public init(_ user: User) {
            userId = user.userId
            login = user.login
            authLevel = user.authLevel?.rawValue
        }
    }

    public init(localUser: String, host: String, sshClient: String?, apiUser: APIUser?) {
        self.localUser = localUser
        self.host = host
        self.sshClient = sshClient
        self.apiUser = apiUser
    }
}

/// The writing process: pid, its start time and the boot it belongs to.
public struct ProcessIdentity: Codable, Sendable, Equatable {
    public var pid: Int32
    /// Start time in clock ticks since boot (`/proc/PID/stat`, field 22).
    public var start: UInt64?
    /// `/proc/sys/kernel/random/boot_id`.
    public var boot: String?
    public var host: String

    public init(pid: Int32, start: UInt64?, boot: String?, host: String) {
        self.pid = pid
        self.start = start
        self.boot = boot
        self.host = host
    }
}

/// What an action came to.
public struct OutcomeDetails: Codable, Sendable, Equatable {
    /// The record's status: `succeeded`, `failed`, `unknown` (the request went out but no
    /// answer was recorded) or `not-sent`.
    public typealias Status = ActionStatus

    public var status: Status
    public var httpStatus: Int?
    public var success: Bool?
    public var errorCode: String?
    public var message: String?
    /// A short rendering of `data` (`true`, `<redacted>` for secrets).
    public var data: String?
    public var latencyMs: Int?
    public var attempts: Int?
    /// One line per retry, for example `HTTP 429 RateLimitExceeded, waited 2s`.
    public var retries: [String]?
    public var errorKind: String?
    /// What it means for the operator.
    public var explanation: String?
    public var sessionsBefore: Int?
    public var sessionsAfter: Int?

    public init(
        status: Status, httpStatus: Int? = nil, success: Bool? = nil, errorCode: String? = nil, message: String? = nil,
        data: String? = nil, latencyMs: Int? = nil, attempts: Int? = nil, retries: [String]? = nil,
        errorKind: String? = nil, explanation: String? = nil, sessionsBefore: Int? = nil, sessionsAfter: Int? = nil
    ) {
        self.status = status
        self.httpStatus = httpStatus
        self.success = success
        self.errorCode = errorCode
        self.message = message
        self.data = data
        self.latencyMs = latencyMs
        self.attempts = attempts
        self.retries = retries
        self.errorKind = errorKind
        self.explanation = explanation
        self.sessionsBefore = sessionsBefore
        self.sessionsAfter = sessionsAfter
    }
}

extension OutcomeDetails {
    enum CodingKeys: String, CodingKey {
        case status, httpStatus, success, errorCode, message, data, latencyMs, attempts, retries, errorKind, explanation
        case sessionsBefore, sessionsAfter
    }

    /// Reads an outcome record's details. An outcome can only be `succeeded`, `failed`,
    /// `unknown` or `not-sent`: a record that says `in-flight` or `missing` (words only a
    /// reading of the history gives) is not a valid record, and is reported as such rather
    /// than taken for an outcome.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        let status = try values.decode(Status.self, forKey: .status)
        guard status.isOutcome else {
            throw DecodingError.dataCorruptedError(forKey: .status, in: values, debugDescription: "\(status.rawValue) is not an outcome")
        }
        self.init(
            status: status, httpStatus: try values.decodeIfPresent(Int.self, forKey: .httpStatus),
            success: try values.decodeIfPresent(Bool.self, forKey: .success),
            errorCode: try values.decodeIfPresent(String.self, forKey: .errorCode),
            message: try values.decodeIfPresent(String.self, forKey: .message),
            data: try values.decodeIfPresent(String.self, forKey: .data),
            latencyMs: try values.decodeIfPresent(Int.self, forKey: .latencyMs),
            attempts: try values.decodeIfPresent(Int.self, forKey: .attempts),
            retries: try values.decodeIfPresent([String].self, forKey: .retries),
            errorKind: try values.decodeIfPresent(String.self, forKey: .errorKind),
            explanation: try values.decodeIfPresent(String.self, forKey: .explanation),
            sessionsBefore: try values.decodeIfPresent(Int.self, forKey: .sessionsBefore),
            sessionsAfter: try values.decodeIfPresent(Int.self, forKey: .sessionsAfter))
    }
}
