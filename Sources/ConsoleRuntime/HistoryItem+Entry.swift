import ConsoleUI
import IncidentLog

extension HistoryItem {
    /// The console's view of a history store's entry: what the pane and the recent-actions
    /// warning show, nothing of the store's own bookkeeping.
    package init(_ entry: HistoryEntry) {
        self.init(
            time: entry.time, actionName: entry.action,
            target: entry.target.map { Target(userId: $0.userId, login: $0.login) },
            actor: Actor(localUser: entry.actor.localUser, host: entry.actor.host, sshClient: entry.actor.sshClient),
            reason: entry.reason, status: entry.status, answer: entry.result.map(Answer.init))
    }
}

extension HistoryItem.Answer {
    /// The answer as an outcome record holds it.
    package init(_ details: OutcomeDetails) {
        self.init(
            httpStatus: details.httpStatus, errorCode: details.errorCode, errorKind: details.errorKind,
            latencyMs: details.latencyMs, attempts: details.attempts,
            sessionsBefore: details.sessionsBefore, sessionsAfter: details.sessionsAfter)
    }
}
