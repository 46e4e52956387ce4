import ConsoleUI
import ECGridActions
import ECGridKit
import Foundation
import IncidentLog
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs the console's effects off the UI loop (API calls, history reads and writes) and hands
/// their answers back as messages. Each effect is a task that can be cancelled by key.
///
/// The terminal loop and the tests' headless console drive it the same way: `run` each effect
/// `update` returns, and feed what `drain` gives back into `update`.
public final class EffectRunner: Sendable {
    public let client: ECGridClient
    public let recorder: ActionRecorder
    /// Records a page and filters for loading users (from the profile).
    public let pageSize: Int
    public let filters: UserListQuery
    /// The operator's login session, when the console runs on one (not an API key).
    public let session: TokenSession?
    private let inbox = MessageInbox()
    private let tasks = Mutex<[String: Task<Void, Never>]>([:])
    private let counter = Mutex(0)

    public init(
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
    public func post(_ message: Message) { inbox.post(message) }

    /// Messages that arrived since the last call.
    public func drain() -> [Message] { inbox.drain() }

    /// A descriptor that becomes readable when a message arrives (or `wake` is called): the
    /// terminal loop waits on it beside the keyboard. -1 when no pipe could be made.
    public var wakeDescriptor: Int32 { inbox.wakeRead }

    /// Wakes the loop without a message (a signal arrived, say).
    public func wake() { inbox.wake() }

    /// True while a state-changing action is running.
    public var actionsRunning: Bool { tasks.withLock { $0.keys.contains { $0.hasPrefix("action-") } } }

    /// Starts an effect; its answer comes back through `drain`.
    public func run(_ effect: Effect) {
        switch effect {
        case .loadOperator:
            start("operator") { runner in
                do {
                    let me = try await runner.client.me().value
                    runner.recorder.setAPIUser(me)
                    runner.post(.operatorLoaded(.success(me)))
                } catch {
                    runner.post(.operatorLoaded(.failure(Failure(error))))
                }
            }
        case .loadUsers(let generation):
            start("load-\(generation)") { runner in await runner.loadUsers(generation) }
        case .cancelLoad(let generation):
            cancel("load-\(generation)")
        case .readTargets(let request, let ids):
            start("read-\(request)") { runner in
                await withTaskGroup(of: Void.self) { group in
                    for id in ids {
                        group.addTask {
                            do {
                                let user = try await runner.client.user(id: id).value
                                runner.post(.targetRead(request: request, userId: id, .success(user)))
                            } catch {
                                runner.post(.targetRead(request: request, userId: id, .failure(Failure(error))))
                            }
                        }
                    }
                }
            }
        case .cancelRead(let request):
            cancel("read-\(request)")
        case .reset(let ids, let reason):
            let number = counter.withLock { value in value += 1; return value }
            start("action-\(number)") { runner in
                var results: [RecordedAction] = []
                // Up to four at once, results in the order given.
                for chunk in stride(from: 0, to: ids.count, by: 4).map({ Array(ids[$0..<min($0 + 4, ids.count)]) }) {
                    let batch = await withTaskGroup(of: (Int, RecordedAction).self) { group in
                        for (offset, id) in chunk.enumerated() {
                            group.addTask {
                                (offset, await runner.client.resetSessionsRecorded(userId: id, reason: reason, recorder: runner.recorder))
                            }
                        }
                        return await group.reduce(into: [(Int, RecordedAction)]()) { $0.append($1) }
                    }
                    results += batch.sorted { $0.0 < $1.0 }.map(\.1)
                }
                runner.post(.resetFinished(results))
            }
        case .login(let request, let login, let password):
            start("login-\(request)") { runner in
                do {
                    guard let session = runner.session else { throw ECGridError(.missingCredentials) }
                    try await session.renew(login: login, password: password, using: runner.client)
                    let me = try await runner.client.me().value
                    runner.recorder.setAPIUser(me)
                    runner.post(.loggedIn(request: request, .success(me)))
                } catch {
                    runner.post(.loggedIn(request: request, .failure(Failure(error))))
                }
            }
        case .cancelLogin(let request):
            cancel("login-\(request)")
        case .escalate(let action, let id, let reason):
            let number = counter.withLock { value in value += 1; return value }
            start("action-\(number)") { runner in
                let result = await runner.client.performRecorded(action, userId: id, reason: reason, recorder: runner.recorder)
                runner.post(.escalationFinished(result))
            }
        case .find(let request, let query):
            start("find-\(request)") { runner in
                do {
                    let users: [User]
                    if let id = Int(query), id > 0 {
                        users = [try await runner.client.user(id: id).value]
                    } else {
                        users = try await runner.client.usersByName(login: query).value
                    }
                    runner.post(.found(request: request, query: query, .success(users)))
                } catch let error as ECGridError where error.kind == .cancelled {
                    return
                } catch {
                    runner.post(.found(request: request, query: query, .failure(Failure(error))))
                }
            }
        case .cancelFind(let request):
            cancel("find-\(request)")
        case .loadHistory:
            start("history-\(counter.withLock { value in value += 1; return value })") { runner in
                do {
                    runner.post(.historyLoaded(.success(try runner.recorder.store.entries())))
                } catch {
                    runner.post(.historyLoaded(.failure(Failure(summary: "history", explanation: "\(error)"))))
                }
            }
        case .quit, .copy:
            // The UI loop quits; a copy is written by the terminal backend, not here.
            break
        }
    }

    /// Walks the pages: the first one at once, then four at a time, posting each batch in order.
    func loadUsers(_ generation: Int) async {
        let pageSize = self.pageSize
        let filters = self.filters
        func page(_ number: Int) -> UserListQuery {
            var query = filters
            query.pageNo = number
            query.recordsPerPage = pageSize
            return query
        }
        var pageNo = 1
        var loaded = 0
        do {
            let first = try await client.listUsers(page(1)).value
            loaded = 1
            post(.usersLoaded(generation: generation, users: first, pages: 1, done: first.count < pageSize))
            guard first.count == pageSize else { return }
            pageNo = 2
            while !Task.isCancelled {
                let window = Array(pageNo..<(pageNo + 4))
                let pages = try await withThrowingTaskGroup(of: (Int, [User]).self) { group in
                    for number in window {
                        group.addTask {
                            (number, try await self.client.listUsers(page(number)).value)
                        }
                    }
                    return try await group.reduce(into: [Int: [User]]()) { $0[$1.0] = $1.1 }
                }
                for number in window {
                    let users = pages[number] ?? []
                    loaded += 1
                    let done = users.count < pageSize
                    post(.usersLoaded(generation: generation, users: users, pages: loaded, done: done))
                    if done { return }
                }
                pageNo += 4
            }
        } catch let error as ECGridError where error.kind == .cancelled {
            return
        } catch {
            if !Task.isCancelled { post(.usersFailed(generation: generation, Failure(error))) }
        }
    }

    private func start(_ key: String, _ body: @escaping @Sendable (EffectRunner) async -> Void) {
        // The task is created and registered under the lock, so a task that finishes at once
        // cannot remove its entry before it is added (which would leave an action "running").
        tasks.withLock { tasks in
            tasks[key] = Task { [self] in
                await body(self)
                _ = self.tasks.withLock { $0.removeValue(forKey: key) }
            }
        }
    }

    private func cancel(_ key: String) {
        tasks.withLock { $0.removeValue(forKey: key) }?.cancel()
    }

    /// Cancels everything; waits up to `grace` for resets to record their outcome.
    public func stop(grace: Duration) async {
        let all = tasks.withLock { tasks in defer { tasks = [:] }; return tasks }
        for (_, task) in all { task.cancel() }
        let resets = all.filter { $0.key.hasPrefix("action-") }.map(\.value)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for task in resets { await task.value } }
            group.addTask { try? await Task.sleep(for: grace) }
            await group.next()
            group.cancelAll()
        }
    }
}

/// Messages waiting for the UI loop, and a pipe that wakes it when one arrives: the loop
/// sleeps in `poll` on the terminal and this pipe, so an answer is drawn the moment it comes,
/// not at the next tick.
final class MessageInbox: Sendable {
    private let messages = Mutex<[Message]>([])
    /// Read and write ends of the wake pipe (non-blocking; -1 if it could not be made).
    let wakeRead: Int32
    private let wakeWrite: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        } else {
            ends = [-1, -1]
        }
        wakeRead = ends[0]
        wakeWrite = ends[1]
    }

    deinit {
        if wakeRead >= 0 { close(wakeRead) }
        if wakeWrite >= 0 { close(wakeWrite) }
    }

    func post(_ message: Message) {
        messages.withLock { $0.append(message) }
        wake()
    }

    /// Makes the pipe readable (a full pipe is already readable: nothing is lost).
    func wake() {
        guard wakeWrite >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    func drain() -> [Message] {
        if wakeRead >= 0 {
            var buffer = [UInt8](repeating: 0, count: 256)
            while read(wakeRead, &buffer, buffer.count) > 0 {}
        }
        return messages.withLock { list in defer { list = [] }; return list }
    }
}
