/// What happened when the sessions of one user were reset.
public struct SessionResetOutcome: Sendable {
    public var userId: Int
    /// The user as re-read just before the reset (nil when that read failed).
    public var before: User?
    /// The user as re-read after a successful reset (nil when not read).
    public var after: User?
    /// True when the reset request went out.
    public var sent: Bool
    /// True when the server answered `success: true, data: true`.
    public var succeeded: Bool
    /// The reset exchange (status, envelope, latency, attempts), when the request went out.
    public var exchange: ExchangeRecord?
    /// Why it failed, when it did.
    public var error: ECGridError?

    public init(
        userId: Int, before: User? = nil, after: User? = nil, sent: Bool, succeeded: Bool,
        exchange: ExchangeRecord? = nil, error: ECGridError? = nil
    ) {
        self.userId = userId
        self.before = before
        self.after = after
        self.sent = sent
        self.succeeded = succeeded
        self.exchange = exchange
        self.error = error
    }

    /// Live sessions before → after, when the server reports them.
    public var sessionsBefore: Int? { before?.openSessions }
    public var sessionsAfter: Int? { after?.openSessions }
}

extension ECGridClient {
    /// Resets one user's sessions the careful way: re-read the target (`GET /v2/users/{id}`) so
    /// the operator and the record see who it really is; call `beforeSend` (which writes the
    /// intent record and may refuse by throwing); send `POST /v2/users/reset/{id}`; re-read the
    /// target to show the open-session count after. Never throws: every failure is in the outcome.
    public func resetSessionsChecked(
        userId: Int, beforeSend: @Sendable (User) async throws -> Void = { _ in }
    ) async -> SessionResetOutcome {
        var outcome = SessionResetOutcome(userId: userId, sent: false, succeeded: false)
        do {
            outcome.before = try await user(id: userId).value
        } catch {
            outcome.error = (error as? ECGridError) ?? ECGridError(.transport, detail: "\(type(of: error))")
            return outcome
        }
        guard let before = outcome.before else { return outcome }
        do {
            try await beforeSend(before)
        } catch {
            outcome.error = (error as? ECGridError)
                ?? ECGridError(.invalidInput, detail: "Not sent: \(error)")
            return outcome
        }
        outcome.sent = true
        do {
            let response = try await resetSessions(userId: userId)
            outcome.exchange = response.exchange
            outcome.succeeded = response.value
            if !response.value {
                outcome.error = ECGridError(
                    .api, httpStatus: response.exchange.httpStatus, serverMessage: response.exchange.message,
                    detail: "the server answered data: false; the sessions were not reset",
                    attempts: response.exchange.attempts, latencyMs: response.exchange.latencyMs,
                    request: response.exchange.request)
            }
        } catch {
            let failure = (error as? ECGridError) ?? ECGridError(.transport, detail: "\(type(of: error))")
            outcome.error = failure
            outcome.exchange = failure.exchange
            outcome.sent = !failure.definitelyNotSent
            return outcome
        }
        if outcome.succeeded {
            outcome.after = try? await user(id: userId).value
        }
        return outcome
    }
}
