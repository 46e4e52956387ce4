extension ActionReport {
    /// The report as `--json` prints it, with the API's field names. A session reset reports
    /// the sessions before and after; a key rotation or a termination reports the action, the
    /// user's status and (a successful rotation only) the new API key, shown this once.
    public var json: JSON { JSON(self) }

    /// The `--json` shape of one report (see `ActionReport.json`). Absent values are left out.
    public struct JSON: Encodable, Sendable {
        /// The action's history name (`generate-api-key`, `terminate-user`); absent for a reset.
        public var action: String?
        /// The user acted on, and the login the re-read found.
        public var userId: Int
        public var login: String?
        /// True when the server confirmed the action; `sent`: when the request went out.
        public var succeeded: Bool
        public var sent: Bool
        /// `succeeded`, `failed`, `unknown` (sent, no usable answer: check) or `not-sent`.
        public var outcome: String
        /// The answer: HTTP status, the envelope's `errorCode` and `message`, and what it means.
        public var httpStatus: Int?
        public var errorCode: String?
        public var message: String?
        public var explanation: String?
        /// The user's status after (else before) the action; absent for a reset.
        public var status: String?
        /// The new API key of a successful rotation, shown this once; absent otherwise.
        public var apiKey: String?
        /// Live sessions before and after a reset.
        public var sessionsBefore: Int?
        public var sessionsAfter: Int?
        /// Time taken and requests sent.
        public var latencyMs: Int?
        public var attempts: Int?
        /// The reason the operator gave.
        public var reason: String?
        /// The id of the history records of this action.
        public var actionId: String?
        /// Set when the history could not record the attempt or its outcome.
        public var historyFailure: String?

        /// The `--json` view of `report`.
        public init(_ report: ActionReport) {
            let outcome = report.outcome
            userId = outcome.userId
            login = outcome.before?.login
            succeeded = outcome.succeeded
            sent = outcome.sent
            self.outcome = outcome.status.word
            httpStatus = outcome.exchange?.httpStatus ?? outcome.error?.httpStatus
            errorCode = outcome.error?.errorCode
            message = outcome.exchange?.message ?? outcome.error?.serverMessage
            latencyMs = outcome.exchange?.latencyMs
            attempts = outcome.exchange?.attempts
            reason = report.reason
            actionId = report.actionId
            historyFailure = report.historyFailure
            if outcome.action == .resetSessions {
                explanation = outcome.error.map { ($0.request.map { "\($0): " } ?? "") + $0.explanation }
                sessionsBefore = outcome.sessionsBefore
                sessionsAfter = outcome.sessionsAfter
            } else {
                action = outcome.action.historyName
                explanation = outcome.error?.explanation
                status = (outcome.after ?? outcome.before)?.status?.rawValue
                apiKey = outcome.newKey?.revealed
            }
        }
    }

    /// `--json` of a batch (`reset`): one line a user and how many ended each way.
    public struct BatchJSON: Encodable, Sendable {
        /// One object a user, in the order given.
        public var results: [JSON]
        /// Confirmed by the server.
        public var succeeded: Int
        /// Refused by the server: it did not act.
        public var failed: Int
        /// Sent, and no usable answer: the server may have acted.
        public var unknown: Int
        /// Never sent (refused before sending, or the target could not be re-read).
        public var notSent: Int
        /// The reason the operator gave.
        public var reason: String?

        /// The `--json` view of a batch.
        public init(_ reports: [ActionReport], reason: String?) {
            results = reports.map(\.json)
            let words = reports.map(\.status)
            succeeded = words.filter { $0 == .succeeded }.count
            failed = words.filter { $0 == .failed }.count
            unknown = words.filter { $0 == .unknown }.count
            notSent = words.filter { $0 == .notSent }.count
            self.reason = reason
        }
    }
}
