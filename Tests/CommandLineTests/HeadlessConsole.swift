import ConsoleRuntime
import ConsoleUI
import ECGridKit
import Foundation
import IncidentLog
import Synchronization

/// The console without a terminal: the real state, update, effect runner, client and history
/// store, against a real server; only curses is left out. Keys go in as the terminal loop
/// would deliver them, answers come back through the runner, and the screen is the rendered
/// grid. Used where a case must run many times (fault matrix, fuzzing) faster than tmux allows.
final class HeadlessConsole {
    private(set) var state: ConsoleState
    let runner: EffectRunner

    init(client: ECGridClient, history: String, width: Int = 100, height: Int = 30) {
        let recorder = ActionRecorder(
            store: HistoryStore(path: history), operator: .local(), profile: nil, baseURL: client.baseURL.description)
        runner = EffectRunner(client: client, recorder: recorder)
        state = ConsoleState(width: width, height: height, environment: Environment(label: "SANDBOX", host: client.baseURL.hostAndPort))
        for effect in state.start() { runner.run(effect) }
    }

    /// Presses keys, in order, running the effects they produce.
    func press(_ keys: Key...) {
        for key in keys { apply(.key(key)) }
    }

    /// Types text, a key per character.
    func type(_ text: String) {
        for character in text { apply(.key(.character(character))) }
    }

    /// Feeds the runner's answers into `update` until `condition` holds.
    func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: (ConsoleState) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(state) {
            guard ContinuousClock.now < deadline else {
                throw Spawn.Failure(description: "the console never reached \"\(what)\"; the screen was:\n\(screen)")
            }
            let messages = runner.drain()
            if messages.isEmpty {
                try await Task.sleep(for: .milliseconds(2))
            }
            for message in messages { apply(message) }
        }
    }

    /// Waits until the rendered screen shows `text`.
    func waitFor(_ text: String, timeout: Duration = .seconds(30)) async throws {
        try await waitUntil("\(text) on screen", timeout: timeout) { $0.render().text.contains(text) }
    }

    /// Waits until the users are loaded (or loading failed).
    func waitForLoad() async throws {
        try await waitUntil("the list loaded") { state in
            switch state.load {
            case .done, .failed: true
            default: false
            }
        }
    }

    /// The screen as text.
    var screen: String { state.render().text }

    func stop() async { await runner.stop(grace: .seconds(3)) }

    private func apply(_ message: Message) {
        for effect in state.update(message) { runner.run(effect) }
    }
}

/// A transport seam for what a sandbox cannot do over loopback: requests that match fail with
/// a connection fault before anything is sent (refused, a name that does not resolve); all
/// others go to the real transport.
struct FaultyTransport: HTTPTransport {
    let real: any HTTPTransport
    let method: String
    let pathPrefix: String
    let failure: ECGridError.Kind
    let attempts = AttemptCounter()

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        if request.method == method, let path = URL(string: request.url)?.path, path.hasPrefix(pathPrefix) {
            attempts.increment()
            throw ECGridError(failure, detail: failure == .hostNotFound ? "name did not resolve" : "connection refused")
        }
        return try await real.send(request)
    }
}

/// Counts attempts across tasks.
final class AttemptCounter: Sendable {
    private let value = Mutex(0)
    func increment() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
