extension ECGridClient {
    /// Performs a state-changing action the careful way: re-read the target
    /// (`GET /v2/users/{id}`) so the operator and the record see who it really is; call
    /// `beforeSend` (which writes the intent record and may refuse by throwing); send the
    /// request; re-read the target to show its state after. Never throws: every failure is in
    /// the outcome.
    public func performChecked(
        _ action: UserAction, userId: Int, beforeSend: @Sendable (User) async throws -> Void = { _ in }
    ) async -> ActionOutcome {
        var outcome = ActionOutcome(action: action, userId: userId, sent: false, succeeded: false)
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
            switch action {
            case .resetSessions:
                let response = try await resetSessions(userId: userId)
                confirm(&outcome, response.value, response.exchange, "the sessions were not reset")
            case .terminate:
                let response = try await terminate(userId: userId)
                confirm(&outcome, response.value, response.exchange, "the user was not terminated")
            case .rotateKey:
                let response = try await generateAPIKey(userId: userId)
                let usable = !response.value.isEmpty
                confirm(&outcome, usable, response.exchange, "the server sent no key; the old one may or may not work")
                if usable { outcome.newKey = response.value }
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

    /// Resets one user's sessions the careful way (see `performChecked`).
    public func resetSessionsChecked(
        userId: Int, beforeSend: @Sendable (User) async throws -> Void = { _ in }
    ) async -> ActionOutcome {
        await performChecked(.resetSessions, userId: userId, beforeSend: beforeSend)
    }

    private func confirm(_ outcome: inout ActionOutcome, _ confirmed: Bool, _ exchange: ExchangeRecord, _ otherwise: String) {
        outcome.exchange = exchange
        outcome.succeeded = confirmed
        if !confirmed {
            outcome.error = ECGridError(
                .api, httpStatus: exchange.httpStatus, serverMessage: exchange.message,
                detail: "the server answered data: false; \(otherwise)",
                attempts: exchange.attempts, latencyMs: exchange.latencyMs, request: exchange.request)
        }
    }
}
