extension ActionReport {
    /// The report as `--json` prints it, with the API's field names. A session reset reports
    /// the sessions before and after; a key rotation or a termination reports the action, the
    /// user's status and (a successful rotation only) the new API key, shown this once.
    public var json: JSON { JSON(self) }

    /// The `--json` shape of one report (see `ActionReport.json`). Absent values are left out.
    public struct JSON: Encodable, Sendable {
        public var action: String?
        public var userId: Int
        public var login: String?
        public var succeeded: Bool
        public var sent: Bool
        /// `succeeded`, `failed`, `unknown` (sent, no usable answer: check) or `not-sent`.
        public var outcome: String
        public var httpStatus: Int?
        public var errorCode: String?
        public var message: String?
        public var explanation: String?
        public var status: String?
        public var apiKey: String?
        public var sessionsBefore: Int?
        public var sessionsAfter: Int?
        public var latencyMs: Int?
        public var attempts: Int?
        public var reason: String?
        /// The id of the history records of this action.
        public var actionId: String?
        /// Set when the history could not record the attempt or its outcome.
        public var historyFailure: String?

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
        public var results: [JSON]
        public var succeeded: Int
        /// Refused by the server: it did not act.
        public var failed: Int
        /// Sent, and no usable answer: the server may have acted.
        public var unknown: Int
        public var notSent: Int
        public var reason: String?

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
