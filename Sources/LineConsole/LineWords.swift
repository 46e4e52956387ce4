import ECGridActions
import ECGridKit
import IncidentLog

/// The accessible console's sentences: everything it says about users, actions, outcomes and
/// the history, in words a screen reader reads well (no arrows, no columns, no meaning in
/// position or colour). Text from the server is sanitised before it is put in a sentence.
package enum LineWords {
    /// `40011 ingrid.brennan (Ingrid Brennan), network 10 mailbox 0, NetworkUser, Active, 3 open sessions`.
    package static func user(_ user: User) -> String {
        let login = safe(user.login)
        let name = user.displayName == user.login ? "" : " (\(safe(user.displayName)))"
        var parts = ["\(user.userId) \(login)\(name)"]
        parts.append("network \(user.networkId.map(String.init) ?? "unknown") mailbox \(user.mailboxId.map(String.init) ?? "unknown")")
        if let level = user.authLevel { parts.append(safe(level.rawValue)) }
        if let status = user.status { parts.append(safe(status.rawValue)) }
        if let open = user.openSessions { parts.append(sessions(open)) }
        return parts.joined(separator: ", ")
    }

    /// Every field of a user, a sentence each.
    package static func record(_ user: User) -> [String] {
        var lines = ["User \(self.user(user))."]
        if let email = user.email { lines.append("Email: \(safe(email)).") }
        if let company = user.company { lines.append("Company: \(safe(company)).") }
        if let phone = user.phone { lines.append("Cell number: \(safe(phone)).") }
        if let locked = user.lockoutStatus { lines.append(locked ? "Locked out." : "Not locked out.") }
        if let created = user.created { lines.append("Created \(created.text).") }
        if let last = user.lastLogin { lines.append("Last login \(last.text).") }
        return lines
    }

    /// `3 open sessions`, `1 open session`, `no open session`.
    package static func sessions(_ count: Int) -> String {
        count == 0 ? "no open session" : "\(count) open session\(count == 1 ? "" : "s")"
    }

    /// One action's outcome as a sentence or two:
    /// `Reset sessions of 40011 ingrid.brennan: succeeded, HTTP 200, open sessions went from 3 to 0.`
    package static func outcome(_ report: ActionReport) -> String {
        let outcome = report.outcome
        let who = "\(outcome.userId)" + (outcome.before.map { " \(safe($0.login))" } ?? "")
        var text = "\(report.action.title) of \(who): \(report.status.shown)"
        if let status = outcome.exchange?.httpStatus ?? outcome.error?.httpStatus { text += ", HTTP \(status)" }
        if let code = outcome.error?.errorCode { text += " \(safe(code))" }
        if report.status == .succeeded {
            if report.action == .resetSessions, let before = outcome.sessionsBefore, let after = outcome.sessionsAfter {
                text += ", open sessions went from \(before) to \(after)"
            }
            if report.action == .terminate, let status = outcome.after?.status {
                text += ", status now \(safe(status.rawValue))"
                if status != .terminated { text += ". Warning: the server said it terminated the user, but a re-read still shows \(safe(status.rawValue))" }
            }
            return text + "."
        }
        if let error = outcome.error { text += ". " + safe(error.explanation) }
        if let message = outcome.exchange?.message ?? outcome.error?.serverMessage, !(outcome.error?.explanation.contains(message) ?? false) {
            text += " Server said: \(safe(message))."
        }
        if report.status == .unknown {
            text += " The server may have acted: \(check(report.action, userId: outcome.userId)) Do not repeat it before that."
        }
        if let failure = report.historyFailure { text += " History: \(safe(failure))." }
        return text
    }

    /// How to find out whether an action whose answer was lost happened (ECGridKit's words).
    package static func check(_ action: UserAction, userId: Int) -> String {
        action.howToCheck(userId: userId) + "."
    }

    /// A containment step's result: `Step 2, sessions: succeeded. Every bearer session revoked.`
    package static func step(_ result: StepResult, number: Int) -> String {
        let note = safe(result.note)
        return "Step \(number), \(result.step.rawValue): \(result.shown)\(result.earlier ? ", in an earlier run" : ""). "
            + note.prefix(1).uppercased() + note.dropFirst() + "."
    }

    /// One history entry: `2026-12-02 06:54: reset of 40011 ingrid.brennan by root at jump1: succeeded, HTTP 200. Reason INC-7.`
    package static func entry(_ entry: HistoryEntry) -> String {
        let who = entry.target.map { "\($0.userId)" + ($0.login.map { " \(safe($0))" } ?? "") } ?? "an unknown user"
        let action = UserAction(historyName: entry.action)?.verb ?? safe(entry.action)
        let step = entry.playbook?.step.map { " (step \(safe($0)) of a containment)" } ?? ""
        var text = "\(time(entry.time)): \(action) of \(who)\(step) by \(safe(entry.actor.localUser)) at \(safe(entry.actor.host)): "
            + entry.status.shown
        if let status = entry.result?.httpStatus { text += ", HTTP \(status)" }
        if let code = entry.result?.errorCode { text += " \(safe(code))" }
        text += "."
        if let reason = entry.reason { text += " Reason: \(safe(reason))." }
        if let observation = entry.observation { text += " Verified: \(safe(observation.note))" }
        return text
    }

    /// `2026-12-02T06:54:10.123Z` as `2026-12-02 06:54 UTC`.
    static func time(_ text: String) -> String {
        guard text.count >= 16 else { return safe(text) }
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5)) + " UTC"
    }

    /// Text from outside, made safe for any terminal (escape sequences shown as `^[`).
    package static func safe(_ text: String) -> String { TerminalText.sanitize(text) }
}
