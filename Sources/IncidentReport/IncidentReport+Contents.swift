import ECGridActions
import ECGridKit
import IncidentLog

/// How the report's sections are drawn from the history: open items, users, timeline.
extension IncidentReport {
    /// Every record, oldest first: each action as one item (its intent's time, its outcome's
    /// words), each observation as one.
    static func timeline(_ entries: [(entry: HistoryEntry, file: String)], _ observations: [(record: HistoryRecord, file: String)]) -> [TimelineItem] {
        var items = entries.map { entry, file in
            TimelineItem(
                time: entry.time, record: "action", action: words(entry.action), step: entry.playbook?.step,
                userId: entry.target?.userId, login: entry.target?.login.map(TerminalText.sanitize),
                key: entry.key.map { "key \($0.keyId)" }, outcome: entry.status.word, httpStatus: entry.result?.httpStatus,
                errorCode: entry.result?.errorCode.map(TerminalText.sanitize), message: entry.result?.message.map(TerminalText.sanitize),
                latencyMs: entry.result?.latencyMs, reason: entry.reason.map(TerminalText.sanitize),
                localUser: TerminalText.sanitize(entry.actor.localUser), host: TerminalText.sanitize(entry.actor.host),
                sshClient: entry.actor.sshClient.map(TerminalText.sanitize),
                apiUser: entry.actor.apiUser.map { "\($0.userId) \(TerminalText.sanitize($0.login))" + ($0.authLevel.map { " (\($0))" } ?? "") },
                profile: entry.profile.map(TerminalText.sanitize), server: TerminalText.sanitize(entry.baseURL), file: file,
                note: entry.observation.map { "verified: " + TerminalText.sanitize($0.note) })
        }
        for (record, file) in observations {
            let observation = record.observation
            items.append(TimelineItem(
                time: record.time, record: "observation", action: TerminalText.sanitize(record.action), step: record.playbook?.step,
                userId: record.target?.userId, login: record.target?.login.map(TerminalText.sanitize), key: nil,
                outcome: observation?.alarming == true ? "alarming" : "observed", httpStatus: nil, errorCode: nil, message: nil,
                latencyMs: nil, reason: record.reason.map(TerminalText.sanitize), localUser: TerminalText.sanitize(record.actor.localUser),
                host: TerminalText.sanitize(record.actor.host), sshClient: record.actor.sshClient.map(TerminalText.sanitize),
                apiUser: record.actor.apiUser.map { "\($0.userId) \(TerminalText.sanitize($0.login))" },
                profile: record.profile.map(TerminalText.sanitize), server: TerminalText.sanitize(record.baseURL), file: file,
                note: observation.map { TerminalText.sanitize($0.note) }))
        }
        // Stable: equal times keep the order they were read in.
        return items.enumerated().sorted { left, right in
            let a = ECGridDate.parse(left.element.time) ?? .distantPast
            let b = ECGridDate.parse(right.element.time) ?? .distantPast
            return a != b ? a < b : left.offset < right.offset
        }.map(\.element)
    }

    /// What still needs a person, in the order found.
    static func openItems(_ entries: [HistoryEntry], _ observations: [HistoryRecord]) -> [OpenItem] {
        var items: [OpenItem] = []
        for entry in entries where entry.action != Containment.historyName {
            let kind: OpenItem.Kind
            switch entry.status {
            case .unknown: kind = .outcomeUnknown
            case .missing: kind = .outcomeMissing
            case .inFlight: kind = .inFlight
            default: continue
            }
            let userId = entry.target?.userId ?? 0
            let action = UserAction(historyName: entry.action)
            items.append(OpenItem(
                kind: kind, time: entry.time, userId: entry.target?.userId, login: entry.target?.login.map(TerminalText.sanitize),
                what: "\(words(entry.action)) by \(TerminalText.sanitize(entry.actor.localUser))@\(TerminalText.sanitize(entry.actor.host)): "
                    + entry.status.shown + (kind == .inFlight ? " (its process still runs, or the record is the last trace of it)" : ""),
                check: action?.howToCheck(userId: userId) ?? "check user \(userId) on the server"))
        }
        for server in Set(entries.map(\.baseURL)).sorted() {
            for playbook in ContainmentHistory.unfinished(in: entries, baseURL: server) {
                items.append(OpenItem(
                    kind: .unfinishedContainment, time: playbook.startedAt, userId: playbook.userId,
                    login: playbook.target?.login.map(TerminalText.sanitize), what: TerminalText.sanitize(playbook.progress),
                    check: "run 'ecgrid-console contain --resume' on \(TerminalText.sanitize(server)): it checks what the "
                        + "server can tell and finishes the playbook without repeating a step that was done"))
            }
        }
        for record in observations where record.observation?.alarming == true {
            let userId = record.target?.userId ?? 0
            items.append(OpenItem(
                kind: .sessionsSeenAgain, time: record.time, userId: record.target?.userId,
                login: record.target?.login.map(TerminalText.sanitize),
                what: TerminalText.sanitize(record.observation?.note ?? "sessions seen again"),
                check: "someone still holds a credential of user \(userId): find out who logged in, then escalate "
                    + "(rotate-key, terminate)"))
        }
        return items
    }

    /// What was done to each user in the end, by user ID.
    static func users(_ entries: [HistoryEntry]) -> [UserSummary] {
        var byUser: [Int: [HistoryEntry]] = [:]
        for entry in entries { if let id = entry.target?.userId { byUser[id, default: []].append(entry) } }
        return byUser.keys.sorted().map { id in
            let mine = byUser[id] ?? []
            var done: [String] = []
            var deleted = 0
            var notDone: [String] = []
            for entry in mine where entry.action != Containment.historyName {
                guard entry.status == .succeeded else {
                    notDone.append("\(words(entry.action)): \(entry.status.shown)")
                    continue
                }
                switch UserAction(historyName: entry.action) {
                case .setPassword?: done.append("password set")
                case .resetSessions?: done.append("sessions reset")
                case .deleteKey?: deleted += 1
                case .rotateKey?: done.append("API key rotated")
                case .terminate?: done.append("terminated")
                case .sendNotice?: done.append("notice sent")
                case nil: done.append(TerminalText.sanitize(entry.action))
                }
            }
            if deleted > 0 { done.append("\(deleted) API key\(deleted == 1 ? "" : "s") deleted") }
            var seen = Set<String>()
            done = done.filter { seen.insert($0).inserted }
            let last = mine.last { $0.action != Containment.historyName }
            let verified = mine.last { $0.action == Containment.historyName && $0.observation != nil }?.observation
            var word = last.map { entry in
                "\(words(entry.action)) \(entry.status.shown)" + (entry.result?.httpStatus.map { ", HTTP \($0)" } ?? "")
                    + (entry.result?.message.map { ", server said: \(TerminalText.sanitize($0))" } ?? "")
            } ?? "nothing recorded"
            if let verified { word += "; verified after the containment: " + TerminalText.sanitize(verified.note) }
            return UserSummary(
                userId: id, login: mine.compactMap(\.target?.login).last.map(TerminalText.sanitize), done: done, notDone: notDone,
                lastWord: word)
        }
    }

    /// An action's history name in the words the operator sees (`reset`, `rotate-key`).
    static func words(_ historyName: String) -> String {
        UserAction(historyName: historyName)?.verb ?? TerminalText.sanitize(historyName)
    }
}
