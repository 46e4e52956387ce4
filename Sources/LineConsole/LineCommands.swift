import ECGridActions
import ECGridKit
import Foundation
import IncidentLog
import Synchronization

/// The accessible console's commands: `find TEXT`, `show ID`, `reset ID…`, `contain ID…`,
/// `rotate-key ID`, `terminate ID`, `history [ID]`, `open`, `resume`, `help`, `quit`. A numbered
/// result of the last list may be named `#N` wherever an ID goes.
extension LineConsole {
    enum Verdict { case goOn, quit }

    /// The commands and what they do, as `help` says them.
    static let commands: [(String, String)] = [
        ("find TEXT", "finds users by ID, login, name or email among those loaded, then on the server; numbers them"),
        ("show ID", "reads one user from the server and says every field"),
        ("reset ID...", "ends every session of the users (API keys keep working)"),
        ("contain ID...", "contains compromised accounts: new password, sessions reset, API keys deleted, optional notice, verified"),
        ("rotate-key ID", "a new API key for the user; the old one stops working; the new one is said once"),
        ("terminate ID", "terminates the user for good; confirmed by typing the login"),
        ("history [ID]", "the recorded actions, newest first, of everyone or of one user"),
        ("open", "actions whose outcome is unknown and containments not finished, with what to check"),
        ("resume", "finishes the containments an earlier run left unfinished"),
        ("help", "this list"),
        ("quit", "leaves the console"),
    ]

    func perform(_ line: String) async -> Verdict {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let command = parts[0].lowercased()
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch command {
        case "quit", "exit", "q": return .quit
        case "help", "?": help()
        case "find": await find(argument)
        case "show": await show(argument)
        case "history": history(argument)
        case "open": open()
        case "reset": await single(.resetSessions, argument)
        case "rotate-key": await single(.rotateKey, argument)
        case "terminate": await single(.terminate, argument)
        case "contain": await contain(argument)
        case "resume": await resume()
        default:
            io.say("Unknown command '\(LineWords.safe(command))'. Type help for the commands.")
        }
        return .goOn
    }

    private func help() {
        io.say("Commands (an ID may be written #N for the Nth user of the last list):")
        for (index, (name, meaning)) in Self.commands.enumerated() { io.say("\(index + 1). \(name): \(meaning).") }
        io.say("Every question is one line; an empty line cancels it and sends nothing.")
    }

    /// The IDs of `text` (`40011 40012`, `#1 #3`), or a sentence saying what is wrong.
    func ids(_ text: String) -> Result<[Int], Refusal> {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard !words.isEmpty else { return .failure(Refusal("Give a user ID (or #N from the last list).")) }
        let numbered = state.withLock { $0.numbered }
        var ids: [Int] = []
        for word in words {
            if word.hasPrefix("#") {
                guard let number = Int(word.dropFirst()), numbered.indices.contains(number - 1) else {
                    return .failure(Refusal("\(LineWords.safe(word)) names no user of the last list (it had \(numbered.count))."))
                }
                ids.append(numbered[number - 1])
            } else {
                guard let id = Int(word), id > 0 else {
                    return .failure(Refusal("'\(LineWords.safe(word))' is not a user ID (a positive whole number)."))
                }
                ids.append(id)
            }
        }
        var seen = Set<Int>()
        return .success(ids.filter { seen.insert($0).inserted })
    }

    struct Refusal: Error { var text: String; init(_ text: String) { self.text = text } }

    // MARK: Reads

    private func find(_ text: String) async {
        guard !text.isEmpty else { return io.say("Give what to find: an ID, a login, part of a name or an email.") }
        let needle = text.lowercased()
        let (loaded, done) = state.withLock { ($0.users, $0.loaded) }
        var found = loaded.filter { user in
            String(user.userId) == needle || user.login.lowercased().contains(needle)
                || user.displayName.lowercased().contains(needle) || (user.email?.lowercased().contains(needle) ?? false)
        }
        do {
            let remote: [User] = if let id = Int(text), id > 0 { [try await client.user(id: id).value] }
                else { try await client.usersByName(login: text).value }
            for user in remote where !found.contains(where: { $0.userId == user.userId }) { found.append(user) }
        } catch {
            let error = ECGridError.wrapping(error)
            if error.httpStatus != 404 { io.say("The server could not be asked (\(LineWords.safe(error.explanation))).") }
        }
        if !done { io.say("(\(loaded.count) users loaded so far; the rest are still loading.)") }
        guard !found.isEmpty else { return io.say("No user matches '\(LineWords.safe(text))'.") }
        number(found, heading: "\(found.count) user\(found.count == 1 ? "" : "s") match '\(LineWords.safe(text))'")
    }

    /// Says `users` numbered (at most 20) and keeps their IDs for `#N`.
    private func number(_ users: [User], heading: String) {
        let shown = users.prefix(20)
        state.withLock { $0.numbered = shown.map(\.userId) }
        io.say(heading + ":")
        for (index, user) in shown.enumerated() { io.say("#\(index + 1): \(LineWords.user(user)).") }
        if users.count > shown.count { io.say("And \(users.count - shown.count) more; narrow the search to see them.") }
    }

    private func show(_ text: String) async {
        guard case .success(let ids) = self.ids(text), let id = ids.first else {
            if case .failure(let refusal) = self.ids(text) { io.say(refusal.text) }
            return
        }
        do {
            let user = try await client.user(id: id).value
            state.withLock { $0.numbered = [id] }
            for line in LineWords.record(user) { io.say(line) }
        } catch {
            io.say("User \(id) could not be read: \(LineWords.safe(ECGridError.wrapping(error).explanation))")
        }
    }

    private func history(_ text: String) {
        let wanted = Int(text.trimmingCharacters(in: .whitespaces).drop { $0 == "#" })
        let base = client.baseURL.description
        let entries = ((try? setup.recorder.store.entries()) ?? []).filter { entry in
            entry.baseURL == base && (wanted == nil || entry.target?.userId == wanted)
        }
        guard !entries.isEmpty else { return io.say("No recorded action\(wanted.map { " on user \($0)" } ?? "") on this server.") }
        io.say("\(entries.count) recorded action(s) on this server, newest first:")
        for (index, entry) in entries.prefix(20).enumerated() { io.say("\(index + 1). \(LineWords.entry(entry))") }
        if entries.count > 20 { io.say("And \(entries.count - 20) older; 'history ID' lists one user's.") }
    }

    private func open() {
        let base = client.baseURL.description
        let unknown = ((try? setup.recorder.store.entries()) ?? []).filter {
            $0.baseURL == base && $0.status.mayHaveActed && $0.action != Containment.historyName
        }
        let unfinished = unfinishedPlaybooks()
        if unknown.isEmpty && unfinished.isEmpty { return io.say("Nothing is open: every recorded action on this server has its outcome.") }
        for entry in unknown.prefix(20) {
            let check = UserAction(historyName: entry.action).map { LineWords.check($0, userId: entry.target?.userId ?? 0) } ?? ""
            io.say("Open: \(LineWords.entry(entry)) To check: \(check)")
        }
        for playbook in unfinished { io.say("Unfinished containment: \(LineWords.safe(playbook.summary)). Type resume to finish it.") }
    }

    // MARK: Reset, rotate-key, terminate

    /// One of the standalone actions on the users of `text`: re-read, what it does, reason,
    /// the typed confirmation, the pipeline, the outcome in sentences.
    private func single(_ action: UserAction, _ text: String) async {
        if let refusal = readOnlyRefusal(action.verb) { return io.say(refusal) }
        let ids: [Int]
        switch self.ids(text) {
        case .failure(let refusal): return io.say(refusal.text)
        case .success(let found): ids = found
        }
        if action != .resetSessions, ids.count > 1 { return io.say("\(action.verb) takes one user at a time.") }
        let users = await reread(ids)
        io.say(consequences(action))
        recent(ids)
        let expected = Confirmation.expected(action, targets: ids, readable: users)
        guard case .answer(let answer) = expected else {
            if case .refused(let why) = expected { io.say("Refused: \(LineWords.safe(why)); nothing was sent.") }
            return
        }
        guard let reason = await reason() else { return }
        let whom = ids.count == 1 ? "\(ids[0])" + (users.first.map { " \(LineWords.safe($0.login))" } ?? "") : "these \(ids.count) users"
        let what = action == .terminate ? "the login" : ids.count == 1 ? "the ID" : "the number of users"
        let typed = await ask("Type \(LineWords.safe(answer)) (\(what)) to \(verb(action)) \(whom), or an empty line to cancel: ")
        guard Confirmation.matches(typed, expected) else {
            return io.say(typed.isEmpty ? "Cancelled; nothing was sent." : "That does not match; nothing was sent.")
        }
        let progress = LineProgress(io: io, total: ids.count, label: action.title)
        let reports = await inFlight(ids) {
            await pipeline.run(action, userIds: ids, reason: reason, concurrency: 4) { event in
                if case .finished = event { progress.advance() }
            }
        }
        for report in reports { io.say(LineWords.outcome(report)) }
        if reports.count > 1 { io.say("\(action.title): \(ActionStatus.summary(reports.map(\.status))).") }
        if let key = reports.first?.outcome.newKey, reports.first?.status == .succeeded {
            io.say("Warning: the new API key follows, shown this once and recorded nowhere. Hand it over by a safe channel.")
            io.say("New API key: \(key.revealed)")
            _ = await ask("Press Enter once you have stored it; it will not be shown again: ")
        }
    }

    private func verb(_ action: UserAction) -> String {
        switch action {
        case .resetSessions: "reset the sessions of"
        case .rotateKey: "generate a new API key for"
        case .terminate: "terminate"
        default: action.title.lowercased() + " for"
        }
    }

    private func consequences(_ action: UserAction) -> String {
        switch action {
        case .resetSessions: "A reset ends every open bearer session; they must log in again. It does not revoke API keys."
        case .rotateKey: "A new API key is generated; the user's current key stops working at once, for every script using it."
        case .terminate: "Terminating is PERMANENT and cannot be undone: every session and API key of the user stops working."
        default: action.title + "."
        }
    }

    /// Re-reads `ids`, saying each (or why it could not be read); returns those read.
    func reread(_ ids: [Int]) async -> [User] {
        let reads = await ids.concurrentMap(limit: 4) { [client] id -> (Int, Result<User, ECGridError>) in
            do { return (id, .success(try await client.user(id: id).value)) } catch { return (id, .failure(.wrapping(error))) }
        }
        var users: [User] = []
        for (id, read) in reads {
            switch read {
            case .success(let user):
                users.append(user)
                io.say("Target: \(LineWords.user(user)).")
            case .failure(let error):
                io.say("Target \(id) could not be re-read: \(LineWords.safe(error.explanation))")
            }
        }
        return users
    }

    /// Warns of actions on these users in the last hour, on this server.
    func recent(_ ids: [Int]) {
        let base = client.baseURL.description
        let hourAgo = Date().addingTimeInterval(-3600)
        let recent = ((try? setup.recorder.store.entries()) ?? []).filter { entry in
            entry.baseURL == base && ids.contains(entry.target?.userId ?? 0)
                && (ECGridDate(parsing: entry.time)?.date ?? .distantPast) > hourAgo
        }
        for entry in recent.prefix(3) { io.say("Recent: \(LineWords.entry(entry))") }
        if recent.count > 3 { io.say("And \(recent.count - 3) more recent action(s) on these users; 'history ID' lists them.") }
    }

    /// The reason or ticket; nil when it is too long (said).
    func reason() async -> String?? {
        let text = await ask("Reason or ticket for the history (optional, at most \(ActionReason.maximumLength) characters; Enter for none): ")
        guard text.count <= ActionReason.maximumLength else {
            io.say("That reason is \(text.count) characters; at most \(ActionReason.maximumLength) are kept. Nothing was sent.")
            return nil
        }
        return .some(text.isEmpty ? nil : text)
    }

    func readOnlyRefusal(_ word: String) -> String? {
        setup.readOnly ? "Read-only mode: \(word) changes state and is refused; nothing was sent." : nil
    }
}

/// "Done 5 of 50." now and then while a batch runs: every tenth of it, or every 5 seconds.
final class LineProgress: Sendable {
    let io: any LineIO
    let total: Int
    let label: String
    private let state = Mutex((done: 0, lastSaid: 0, when: ContinuousClock.now))

    init(io: any LineIO, total: Int, label: String) {
        self.io = io
        self.total = total
        self.label = label
    }

    func advance() {
        guard total > 1 else { return }
        let say: Int? = state.withLock { state in
            state.done += 1
            let step = max(1, total / 10)
            guard state.done < total, state.done - state.lastSaid >= step || ContinuousClock.now - state.when >= .seconds(5) else { return nil }
            state.lastSaid = state.done
            state.when = .now
            return state.done
        }
        if let say { io.say("\(label): done \(say) of \(total).") }
    }
}
