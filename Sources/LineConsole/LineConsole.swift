import ConsoleRuntime
import ECGridActions
import ECGridKit
import Foundation
import IncidentLog
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The accessible console (`--accessible`): the console's work as a conversation of lines, for
/// operators who use a screen reader and for any terminal at all. The prompt is `ecgrid> `;
/// every question is one line that says what it wants; choices are numbered; results are
/// sentences. It sends through the same pipeline and containment as the full-screen console
/// and the commands, confirms by the same rule (`Confirmation.expected`: the ID, the count or
/// the login, from a successful re-read; an empty line cancels and sends nothing), records
/// the same history, and sanitises every text from the server the same way.
package final class LineConsole: Sendable {
    package struct Setup: Sendable {
        package var client: ECGridClient
        package var recorder: ActionRecorder
        /// Where it runs, in words (`SANDBOX`, `profile prod`), and its host.
        package var label: String
        package var host: String
        package var readOnly: Bool
        /// How often and how long contained users are watched.
        package var watchInterval: Duration
        package var watchDuration: Duration

        package init(
            client: ECGridClient, recorder: ActionRecorder, label: String, host: String, readOnly: Bool,
            watchInterval: Duration = ContainmentWatch.defaultInterval, watchDuration: Duration = ContainmentWatch.defaultDuration
        ) {
            self.client = client
            self.recorder = recorder
            self.label = label
            self.host = host
            self.readOnly = readOnly
            self.watchInterval = watchInterval
            self.watchDuration = watchDuration
        }
    }

    let setup: Setup
    let io: any LineIO
    let state = Mutex(State())

    struct State {
        /// The operator, from `GET /v2/users/me`.
        var me: User?
        /// Users loaded in the background, by server order, and whether the walk ended.
        var users: [User] = []
        var loaded = false
        /// The IDs the last numbered list named (`#1` is the first).
        var numbered: [Int] = []
        /// Notices to say before the next prompt (loading ended, say).
        var notices: [String] = []
        /// The users an action is being sent for right now.
        var inFlight: [Int] = []
        /// Running watches of contained users.
        var watches: [Task<Void, Never>] = []
    }

    package init(_ setup: Setup, io: any LineIO) {
        self.setup = setup
        self.io = io
    }

    var client: ECGridClient { setup.client }
    var pipeline: ActionPipeline { ActionPipeline(client: client, recorder: setup.recorder) }

    /// What ends a run: the conversation's own end, a signal, or the time a signal leaves for
    /// the action in flight to record its outcome.
    private enum End: Sendable { case finished(Int32), signal, graceOver }

    /// Runs the conversation until `quit`, the end of input or a signal; returns the exit status.
    package func run(announcing earlier: [HistoryEntry] = []) async -> Int32 {
        let (ends, end) = AsyncStream<End>.makeStream()
        let watch = SignalWatch { end.yield(.signal) }
        defer { watch.stop() }
        let conversation = Task {
            let status = await converse(announcing: earlier)
            end.yield(.finished(status))
        }
        var events = ends.makeAsyncIterator()
        if case .finished(let status)? = await events.next() { return status }
        // A signal: what is in flight gets up to three seconds to record its outcome (its
        // request is cancelled, and the pipeline records the outcome as unknown).
        let number = watch.caught.number ?? SIGINT
        let flying = state.withLock { $0.inFlight }
        conversation.cancel()
        stopWatches()
        if !flying.isEmpty {
            let timer = Task {
                try? await Task.sleep(for: .seconds(3))
                end.yield(.graceOver)
            }
            while let event = await events.next() {
                if case .finished = event { break }
                if case .graceOver = event { break }
            }
            timer.cancel()
        }
        end.finish()
        io.say("")
        io.say("Interrupted by \(SignalWatch.name(number)). "
            + (flying.isEmpty ? "Nothing was in flight."
                : "In flight for \(flying.map(String.init).joined(separator: ", ")): recorded as outcome unknown unless an "
                    + "answer came in time; type 'open' in the next session to see what to check."))
        return 128 + number
    }

    /// The conversation itself: the greeting, then a command a line.
    private func converse(announcing earlier: [HistoryEntry]) async -> Int32 {
        io.say("ecgrid-console, accessible mode, on \(setup.label) (\(setup.host))\(setup.readOnly ? ", READ-ONLY" : "").")
        do {
            let me = try await client.me().value
            setup.recorder.setAPIUser(me)
            state.withLock { $0.me = me }
            io.say("You are \(LineWords.user(me)).")
        } catch {
            io.say("Your own user could not be read (\(LineWords.safe(ECGridError.wrapping(error).explanation))).")
        }
        announce(earlier)
        let loading = Task { await loadUsers() }
        defer { loading.cancel() }
        io.say("Type help for the commands, quit to leave.")
        while !Task.isCancelled {
            for notice in state.withLock({ state in defer { state.notices = [] }; return state.notices }) { io.say(notice) }
            guard let line = await io.ask("ecgrid> ") else {
                stopWatches()
                io.say("")
                return 0
            }
            if Task.isCancelled { break }
            let words = line.trimmingCharacters(in: .whitespaces)
            guard !words.isEmpty else { continue }
            if await perform(words) == .quit {
                stopWatches()
                io.say("Goodbye.")
                return 0
            }
        }
        return 0
    }

    /// What earlier runs left open, said once at the start.
    private func announce(_ earlier: [HistoryEntry]) {
        if !earlier.isEmpty {
            io.say("\(earlier.count) earlier action(s) ended without a recorded answer, now marked OUTCOME UNKNOWN: "
                + earlier.prefix(5).map { entry in
                    "\(LineWords.safe(UserAction(historyName: entry.action)?.verb ?? entry.action)) of "
                        + "\(entry.target.map { String($0.userId) } ?? "unknown")"
                }.joined(separator: ", ")
                + (earlier.count > 5 ? ", and \(earlier.count - 5) more" : "") + ". Type open to list them with what to check.")
        }
        let unfinished = unfinishedPlaybooks()
        if !unfinished.isEmpty {
            io.say("\(unfinished.count) containment(s) unfinished, of user(s) "
                + unfinished.map { String($0.userId) }.joined(separator: ", ") + ". Type resume to finish them.")
        }
    }

    private func loadUsers() async {
        do {
            try await client.streamUsers(UserListQuery(), pageSize: 200, concurrency: 4, unique: true) { [self] batch in
                state.withLock { $0.users.append(contentsOf: batch) }
            }
            let count = state.withLock { state in
                state.loaded = true
                return state.users.count
            }
            state.withLock { $0.notices.append("Loaded \(count) users.") }
        } catch {
            if Task.isCancelled { return }
            state.withLock { $0.notices.append("Loading the users failed (\(LineWords.safe(ECGridError.wrapping(error).explanation))); find still asks the server.") }
        }
    }

    func stopWatches() {
        for watch in state.withLock({ state in defer { state.watches = [] }; return state.watches }) { watch.cancel() }
    }

    /// The unfinished containments on this server, oldest first.
    func unfinishedPlaybooks() -> [UnfinishedPlaybook] {
        let lines = (try? setup.recorder.store.lines()) ?? []
        return ContainmentHistory.unfinished(in: HistoryEntry.entries(from: lines), baseURL: client.baseURL.description)
    }

    /// Asks for one line; the end of input counts as an empty answer (cancel).
    func ask(_ prompt: String) async -> String {
        (await io.ask(prompt) ?? "").trimmingCharacters(in: .whitespaces)
    }

    /// Marks `ids` in flight while `body` runs (so a signal can say which).
    func inFlight<T>(_ ids: [Int], _ body: () async -> T) async -> T {
        state.withLock { $0.inFlight = ids }
        let result = await body()
        state.withLock { $0.inFlight = [] }
        return result
    }
}
