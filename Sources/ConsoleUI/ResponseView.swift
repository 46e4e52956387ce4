import ECGridKit

/// What the response pane shows during and after an action.
package struct ResponseView: Sendable, Equatable {
    package var title: String
    package var lines: [StyledLine]
    /// True while the action runs: retries are added as they happen.
    package var inFlight = false
    /// The users the action was about: the pane shows no other user's record beside it.
    package var userIds: [Int]

    package init(title: String, lines: [StyledLine], inFlight: Bool = false, userIds: [Int] = []) {
        self.title = title
        self.lines = lines
        self.inFlight = inFlight
        self.userIds = userIds
    }
}

extension ResponseView {
    /// An action on its way: what was asked, and that the answer is awaited.
    static func pending(_ action: UserAction, _ targets: [User], reason: String?, glyphs: Glyphs) -> ResponseView {
        let title = targets.count == 1
            ? "\(action.title) \(glyphs.dot) \(targets[0].userId) \(targets[0].login)"
            : "\(action.title) of \(targets.count) users"
        var lines = [StyledLine(targets.count == 1 ? action.request(userId: targets[0].userId) : action.requestForEach())]
        lines.append(StyledLine("Recording the intent, then sending; waiting for the server\(glyphs.ellipsis)", .warning))
        if let reason { lines.append(StyledLine("Reason: \(reason)")) }
        return ResponseView(title: title, lines: lines, inFlight: true, userIds: targets.map(\.userId))
    }

    /// One line for a retry the client is about to make.
    static func retryLine(_ event: RetryEvent) -> StyledLine {
        StyledLine("Attempt \(event.attempt): \(event.reason); retrying in \(seconds(event.delay)) s", .warning)
    }

    static func seconds(_ duration: Duration) -> String {
        let (whole, fraction) = duration.components
        let tenths = Int(fraction / 100_000_000_000_000_000)
        return "\(whole).\(tenths)"
    }

    /// What the server answered to an action, and what it means for the operator: one user's
    /// exchange in full, or a line per user of a bulk action.
    static func finished(_ results: [ActionReport], glyphs: Glyphs) -> ResponseView {
        if results.count == 1, let result = results.first { return single(result, glyphs: glyphs) }
        let action = results.first?.action ?? .resetSessions
        let words = results.map(\.outcome.status)
        let succeeded = words.filter { $0 == .succeeded }.count
        var lines = [StyledLine(
            ActionStatus.summary(words) + ".",
            succeeded == results.count ? .success : words.contains(.failed) ? .failure : .warning)]
        for result in results {
            let outcome = result.outcome
            let who = "\(outcome.userId) \(outcome.before?.login ?? "")"
            if outcome.succeeded {
                lines.append(StyledLine("\(glyphs.mark) \(who)  HTTP \(outcome.exchange?.httpStatus ?? 200)  sessions "
                    + "\(count(outcome.sessionsBefore)) \(glyphs.arrow) \(count(outcome.sessionsAfter))  \(outcome.exchange?.latencyMs ?? 0) ms"))
            } else {
                let error = outcome.error
                lines.append(StyledLine("x \(who)  \(outcome.status.shown)  \(error?.headline ?? ""): \(error?.explanation ?? "no answer")",
                    outcome.status == .unknown ? .warning : .failure))
            }
            if let failure = result.historyFailure { lines.append(StyledLine("  ! \(failure)", .warning)) }
        }
        if succeeded > 0, action.takesMarks {
            lines.append(StyledLine("API keys keep working. Next if needed, on one user: K new API key, then T terminate."))
        }
        return ResponseView(title: "\(action.title) of \(results.count) users", lines: lines, userIds: results.map(\.outcome.userId))
    }

    static func single(_ result: ActionReport, glyphs: Glyphs) -> ResponseView {
        let outcome = result.outcome
        let title = "\(outcome.action.title) \(glyphs.dot) \(outcome.userId) \(outcome.before?.login ?? "")"
        var lines: [StyledLine] = []
        if let exchange = outcome.exchange {
            let status = exchange.httpStatus.map { "HTTP \($0)" } ?? "no HTTP answer"
            lines.append(StyledLine(exchange.request))
            lines.append(StyledLine(
                "\(glyphs.arrow) \(status) \(glyphs.dot) \(exchange.latencyMs) ms \(glyphs.dot) "
                    + "\(exchange.attempts) attempt\(exchange.attempts == 1 ? "" : "s")",
                outcome.succeeded ? .success : .failure))
            lines.append(StyledLine(
                "success: \(exchange.success.map(String.init) ?? "-")  data: \(exchange.dataSummary ?? "-")  "
                    + "errorCode: \(exchange.errorCode ?? outcome.error?.errorCode ?? "-")"))
            lines.append(StyledLine("message: \(exchange.message ?? outcome.error?.serverMessage ?? "-")"))
        }
        if outcome.succeeded {
            switch outcome.action {
            case .resetSessions:
                lines.append(StyledLine(
                    "Meaning: every bearer session is revoked (open \(count(outcome.sessionsBefore)) \(glyphs.arrow) "
                        + "\(count(outcome.sessionsAfter))); they must log in again.", .success))
                lines.append(StyledLine("API keys keep working. Next if needed: K new API key, then T terminate (permanent)."))
            case .rotateKey:
                lines.append(StyledLine("Meaning: a new API key was generated; the old one no longer works.", .success))
                lines.append(StyledLine("The new key was shown once and is kept nowhere. Next if needed: T terminate (permanent)."))
            case .terminate:
                lines.append(StyledLine(
                    "Meaning: the account is terminated for good (status now \(outcome.after?.status?.rawValue ?? "unknown")); "
                        + "its sessions and API keys no longer work.", .success))
            case .setPassword:
                lines.append(StyledLine("Meaning: the password was changed; the old one no longer logs in. Open sessions stay live.", .success))
            case .deleteKey:
                lines.append(StyledLine("Meaning: \(outcome.key?.label ?? "the key") was deleted and no longer works.", .success))
            case .sendNotice:
                lines.append(StyledLine("Meaning: the server accepted the message for the user's cell number.", .success))
            }
        } else if let error = outcome.error {
            if outcome.status != .unknown { lines.append(StyledLine("\(outcome.status.shown).", .failure)) }
            if outcome.outcomeUnknown {
                lines.append(StyledLine(
                    "OUTCOME UNKNOWN: the request reached the server and no usable answer came back; it may have "
                        + "acted. Re-read the user (f, its ID) before repeating.", .warning))
            }
            if outcome.exchange == nil {
                let dot = " \(glyphs.dot) "
                lines.append(StyledLine((error.request.map { $0 + dot } ?? "") + error.headline(separator: dot), .failure))
            }
            lines.append(StyledLine("Meaning: \(error.explanation)", .failure))
        }
        if let failure = result.historyFailure { lines.append(StyledLine("! \(failure)", .warning)) }
        return ResponseView(title: title, lines: lines, userIds: [outcome.userId])
    }

    static func count(_ value: Int?) -> String { value.map(String.init) ?? "?" }
}

/// A line of text with one style.
package struct StyledLine: Sendable, Equatable {
    package var text: String
    package var style: Style

    package init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}
