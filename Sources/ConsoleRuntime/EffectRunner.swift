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
/// `ConsoleProgram` drives it the same way over either terminal backend (curses, or the
/// in-memory one under the tests' `MemoryConsole`): `run` each effect `update` returns, and
/// feed what `drain` gives back into `update`.
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
            start("operator") { runner in await runner.loadOperator() }
        case .loadUsers(let generation):
            start("load-\(generation)") { runner in await runner.loadUsers(generation) }
        case .cancelLoad(let generation):
            cancel("load-\(generation)")
        case .readTargets(let request, let ids):
            start("read-\(request)") { runner in await runner.read(request: request, ids) }
        case .cancelRead(let request):
            cancel("read-\(request)")
        case .perform(let action, let ids, let reason):
            start("action-\(counter.withLock { value in value += 1; return value })") { runner in
                runner.post(.actionFinished(await runner.perform(action, on: ids, reason: reason)))
            }
        case .login(let request, let login, let password):
            start("login-\(request)") { runner in await runner.logIn(request: request, login: login, password: password) }
        case .cancelLogin(let request):
            cancel("login-\(request)")
        case .find(let request, let query):
            start("find-\(request)") { runner in await runner.find(request: request, query) }
        case .cancelFind(let request):
            cancel("find-\(request)")
        case .loadHistory:
            start("history-\(counter.withLock { value in value += 1; return value })") { runner in runner.loadHistory() }
        case .quit, .copy:
            // Both belong to the program's loop (it ends; the backend writes the copy), which
            // never hands them here.
            break
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

