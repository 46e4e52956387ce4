extension ECGridClient {
    /// Performs a state-changing action the careful way: re-read the target
    /// (`GET /v2/users/{id}`) so the operator and the record see who it really is; call
    /// `beforeSend` (which writes the intent record and may refuse by throwing); send the
    /// request; re-read the target to show its state after. Never throws: every failure is in
    /// the outcome. `beforeSend` has no default: what must come before a send is always said
    /// (`ActionPipeline` writes the intent there).
    public func performChecked(
        _ action: UserAction, userId: Int, beforeSend: @Sendable (User) async throws -> Void
    ) async -> ActionOutcome {
        let before: User
        do {
            before = try await user(id: userId).value
        } catch {
            return ActionOutcome(action: action, userId: userId, sent: false, succeeded: false, error: ECGridError.wrapping(error))
        }
        do {
            try await beforeSend(before)
        } catch {
            let refusal = (error as? ECGridError) ?? ECGridError(.invalidInput, detail: "Not sent: \(error)")
            return ActionOutcome(action: action, userId: userId, before: before, sent: false, succeeded: false, error: refusal)
        }
        return await send(action, to: before)
    }

    /// Resets one user's sessions the careful way (see `performChecked`).
    public func resetSessionsChecked(
        userId: Int, beforeSend: @Sendable (User) async throws -> Void
    ) async -> ActionOutcome {
        await performChecked(.resetSessions, userId: userId, beforeSend: beforeSend)
    }

    /// Sends the action for a target already re-read (`before`), then re-reads it after a
    /// success. The caller has done what must come first (the intent record). Never throws.
    public func send(_ action: UserAction, to before: User) async -> ActionOutcome {
        let userId = before.userId
        var outcome = ActionOutcome(action: action, userId: userId, before: before, sent: true, succeeded: false)
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
            let failure = ECGridError.wrapping(error)
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

extension ECGridError {
    /// `error` as an `ECGridError`: itself when it is one, else a transport failure naming its
    /// type (never its text, which could hold anything).
    public static func wrapping(_ error: any Error) -> ECGridError {
        (error as? ECGridError) ?? ECGridError(.transport, detail: "\(type(of: error))")
    }
}
