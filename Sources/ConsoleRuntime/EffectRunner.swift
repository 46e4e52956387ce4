import ConsoleUI
import ECGridActions
import ECGridKit
import Foundation
import IncidentLog
import Synchronization

/// Runs the console's effects off the UI loop (API calls, history reads and writes) and hands
/// their answers back as messages. Each effect is a task that can be cancelled by key.
///
/// `ConsoleProgram` drives it the same way over either terminal backend (curses, or the
/// in-memory one under the tests' `MemoryConsole`): `run` each effect `update` returns, and
/// feed what `drain` gives back into `update`.
package final class EffectRunner: Sendable {
    package let client: ECGridClient
    package let recorder: ActionRecorder
    /// Records a page and filters for loading users (from the profile).
    package let pageSize: Int
    package let filters: UserListQuery
    /// The operator's login session, when the console runs on one (not an API key).
    package let session: TokenSession?
    private let inbox = MessageInbox()
    private let tasks = Mutex<[TaskKey: Task<Void, Never>]>([:])
    private let counter = Mutex(0)

    /// What a running effect is filed under, so that a key can cancel it and quitting can
    /// wait for the actions in flight.
    private enum TaskKey: Hashable {
        case operatorRead
        case load(generation: Int)
        case read(request: Int)
        case action(Int)
        case login(request: Int)
        case find(request: Int)
        case history(Int)

        var isAction: Bool {
            if case .action = self { return true }
            return false
        }
    }

    package init(
        client: ECGridClient, recorder: ActionRecorder, pageSize: Int = 100, filters: UserListQuery = UserListQuery(),
        session: TokenSession? = nil
    ) {
        self.session = session
        self.pageSize = pageSize
        self.filters = filters
        var client = client
        let inbox = self.inbox
        client.onRetry = { event in inbox.post(.retrying(event)) }
        self.client = client
        self.recorder = recorder
    }

    /// Queues a message for the UI loop.
    package func post(_ message: Message) { inbox.post(message) }

    /// Messages that arrived since the last call.
    package func drain() -> [Message] { inbox.drain() }

    /// A descriptor that becomes readable when a message arrives (or `wake` is called): the
    /// terminal loop waits on it beside the keyboard. -1 when no pipe could be made.
    package var wakeDescriptor: Int32 { inbox.wakeRead }

    /// Wakes the loop without a message (a signal arrived, say).
    package func wake() { inbox.wake() }

    /// True while a state-changing action is running.
    package var actionsRunning: Bool { tasks.withLock { $0.keys.contains(where: \.isAction) } }

    /// Starts an effect; its answer comes back through `drain`.
    package func run(_ effect: Effect) {
        switch effect {
        case .loadOperator:
            start(.operatorRead) { runner in await runner.loadOperator() }
        case .loadUsers(let generation):
            start(.load(generation: generation)) { runner in await runner.loadUsers(generation) }
        case .cancelLoad(let generation):
            cancel(.load(generation: generation))
        case .readTargets(let request, let ids):
            start(.read(request: request)) { runner in await runner.read(request: request, ids) }
        case .cancelRead(let request):
            cancel(.read(request: request))
        case .act(let action, let ids, let reason):
            start(.action(nextNumber())) { runner in
                runner.post(.actionFinished(await runner.act(action, on: ids, reason: reason)))
            }
        case .login(let request, let login, let password):
            start(.login(request: request)) { runner in await runner.logIn(request: request, login: login, password: password) }
        case .cancelLogin(let request):
            cancel(.login(request: request))
        case .find(let request, let query):
            start(.find(request: request)) { runner in await runner.find(request: request, query) }
        case .cancelFind(let request):
            cancel(.find(request: request))
        case .loadHistory:
            start(.history(nextNumber())) { runner in runner.loadHistory() }
        case .quit, .copy:
            // Both belong to the program's loop (it ends; the backend writes the copy), which
            // never hands them here.
            break
        }
    }

    /// Reloads the history pane whenever any process (another console, a script, another
    /// operator on a shared jump host) appends to the history file. Stop the watcher on exit.
    package func watchHistory() -> HistoryWatcher? {
        try? recorder.store.prepareDirectory()
        return HistoryWatcher(path: recorder.store.path) { [self] in run(.loadHistory) }
    }

    /// Cancels everything; waits up to `grace` for actions to record their outcome.
    package func stop(grace: Duration) async {
        let all = tasks.withLock { tasks in defer { tasks = [:] }; return tasks }
        for (_, task) in all { task.cancel() }
        let actions = all.filter { $0.key.isAction }.map(\.value)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for task in actions { await task.value } }
            group.addTask { try? await Task.sleep(for: grace) }
            await group.next()
            group.cancelAll()
        }
    }

    private func nextNumber() -> Int { counter.withLock { value in value += 1; return value } }

    private func start(_ key: TaskKey, _ body: @escaping @Sendable (EffectRunner) async -> Void) {
        // The task is created and registered under the lock, so a task that finishes at once
        // cannot remove its entry before it is added (which would leave an action "running").
        tasks.withLock { tasks in
            tasks[key] = Task { [self] in
                await body(self)
                _ = self.tasks.withLock { $0.removeValue(forKey: key) }
            }
        }
    }

    private func cancel(_ key: TaskKey) {
        tasks.withLock { $0.removeValue(forKey: key) }?.cancel()
    }

    // MARK: The effects

    /// The console's one way to change anything on the server: the same "record, then send"
    /// pipeline the command line uses, up to four users at once. The pipeline's retry events
    /// come back to the UI loop as `.retrying` messages; the reports come back in the order
    /// the users were given.
    private func act(_ action: UserAction, on ids: [Int], reason: String?) async -> [ActionReport] {
        await ActionPipeline(client: client, recorder: recorder).run(action, userIds: ids, reason: reason, concurrency: 4) { [self] event in
            if case .retrying(let retry) = event { post(.retrying(retry)) }
        }
    }

    private func loadOperator() async {
        do {
            let me = try await client.me().value
            recorder.setAPIUser(me)
            post(.operatorLoaded(.success(me)))
        } catch {
            post(.operatorLoaded(.failure(Failure(error))))
        }
    }

    /// Walks the pages with the client's one page walker (the same as `users list`), four at a
    /// time, posting each batch in order as soon as every page before it has come, and a last
    /// empty batch that says the list is complete. Repeated IDs are left to the list, which
    /// keeps users by ID and takes a repeat (the later page's copy) in place of the first, so
    /// the walk holds no set of every ID (2 MiB at 100,000 users, 3 while it grows).
    private func loadUsers(_ generation: Int) async {
        let pages = Mutex(0)
        do {
            try await client.streamUsers(
                filters, pageSize: pageSize, concurrency: 4, unique: false,
                onProgress: { progress in pages.withLock { $0 = progress.pagesLoaded } }
            ) { [self] batch in
                post(.usersLoaded(generation: generation, users: batch, pages: pages.withLock { $0 }, done: false))
            }
            if !Task.isCancelled {
                post(.usersLoaded(generation: generation, users: [], pages: pages.withLock { $0 }, done: true))
            }
        } catch let error as ECGridError where error.kind == .cancelled {
            return
        } catch {
            if !Task.isCancelled { post(.usersFailed(generation: generation, Failure(error))) }
        }
    }

    /// Re-reads each user, all at once; one message per user.
    private func read(request: Int, _ ids: [Int]) async {
        await withTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask {
                    do {
                        let user = try await self.client.user(id: id).value
                        self.post(.targetRead(request: request, userId: id, .success(user)))
                    } catch {
                        self.post(.targetRead(request: request, userId: id, .failure(Failure(error))))
                    }
                }
            }
        }
    }

    private func logIn(request: Int, login: String, password: Secret) async {
        do {
            guard let session else { throw ECGridError(.missingCredentials) }
            try await session.renew(login: login, password: password, using: client)
            let me = try await client.me().value
            recorder.setAPIUser(me)
            post(.loggedIn(request: request, .success(me)))
        } catch {
            post(.loggedIn(request: request, .failure(Failure(error))))
        }
    }

    private func find(request: Int, _ query: String) async {
        do {
            let users: [User]
            if let id = Int(query), id > 0 {
                users = [try await client.user(id: id).value]
            } else {
                users = try await client.usersByName(login: query).value
            }
            post(.found(request: request, query: query, .success(users)))
        } catch let error as ECGridError where error.kind == .cancelled {
            return
        } catch {
            post(.found(request: request, query: query, .failure(Failure(error))))
        }
    }

    private func loadHistory() {
        do {
            post(.historyLoaded(.success(try recorder.store.entries().map(HistoryItem.init))))
        } catch {
            post(.historyLoaded(.failure(Failure(summary: "history", explanation: "\(error)"))))
        }
    }
}
