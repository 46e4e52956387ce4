extension ActionReport {
    /// One action's report as the command line prints it (`rotate-key`, `terminate`): the
    /// outcome word with its HTTP status, what it means and what the server said; for a new
    /// API key, the key, this once. The lines are not yet made safe for a terminal: the
    /// caller's output does that.
    public var lines: [String] {
        let outcome = self.outcome
        let who = "\(outcome.userId) \(outcome.before?.login ?? "")"
        guard outcome.succeeded else { return failureLines(who) }
        let timing = outcome.exchange.map { " (HTTP \($0.httpStatus ?? 200), \($0.latencyMs) ms)" } ?? ""
        let headline = "\(action.verb) \(who): \(status.shown)\(timing)"
        switch action {
        case .rotateKey:
            return [
                headline + ". The old key no longer works.",
                "New API key (shown this once, recorded nowhere; hand it over by a safe channel):",
                "  \(outcome.newKey?.revealed ?? "(none)")",
            ]
        case .terminate:
            return [headline + ". Status now: \(outcome.after?.status?.rawValue ?? "unknown")."]
        case .resetSessions, .setPassword, .sendNotice:
            return [headline + "."]
        case .deleteKey:
            return [headline + (outcome.key.map { ": \($0.label) no longer works." } ?? ".")]
        }
    }

    private func failureLines(_ who: String) -> [String] {
        let outcome = self.outcome
        let error = outcome.error
        let code = error?.codeHeadline ?? ""
        var lines = ["\(action.verb) \(who): \(status.shown)\(code.isEmpty ? "" : " (\(code))")\(outcome.sent ? "" : "; nothing was sent")"]
        if let error { lines.append("  " + error.explanation) }
        if let message = outcome.exchange?.message ?? error?.serverMessage { lines.append("  Server said: \(message)") }
        if outcome.outcomeUnknown {
            lines.append("  The request reached the server and no usable answer came back: it may have acted. "
                + "Check with 'ecgrid-console users show \(outcome.userId)' before repeating it.")
        }
        return lines
    }
}
