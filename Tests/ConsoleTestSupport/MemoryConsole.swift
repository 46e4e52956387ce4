import ConsoleRuntime
import ConsoleUI
import ECGridKit
import IncidentLog

/// The console without a terminal: the executable's `ConsoleProgram` on a `MemoryTerminal`,
/// with the real update, effect runner, client and history store against a real server. Keys
/// go in as a terminal delivers them and each call runs the program's turns until they are
/// applied; the screen is the last frame. Used where a case must run many times (fault
/// matrix, fuzzing) faster than tmux allows.
package final class MemoryConsole {
    package let program: ConsoleProgram
    package let terminal: MemoryTerminal

    /// A console on `client`, recording into the history file at `history`.
    package init(client: ECGridClient, history: String, width: Int = 100, height: Int = 30) {
        let recorder = ActionRecorder(
            store: HistoryStore(path: history), operator: .local(), profile: nil, baseURL: client.baseURL.description)
        terminal = MemoryTerminal(width: width, height: height)
        program = ConsoleProgram(
            backend: terminal, context: ConsoleContext(label: "SANDBOX", host: client.baseURL.hostAndPort),
            runner: EffectRunner(client: client, recorder: recorder))
        program.start()
    }

    /// The program's state (read only: it changes through keys and answers).
    package var state: ConsoleState { program.state }
    package var runner: EffectRunner { program.runner }

    /// Presses keys, in order, and runs the turn that applies them.
    package func press(_ keys: Key...) {
        terminal.type(keys)
        program.step(waitingUpTo: .zero)
    }

    /// Types text, a key per character.
    package func type(_ text: String) {
        terminal.type(text.map(Key.character))
        program.step(waitingUpTo: .zero)
    }

    /// Runs turns (answers from the runner come in) until `condition` holds, or fails after
    /// `timeout` with the screen in the error.
    package func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: (ConsoleState) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(program.state) {
            guard ContinuousClock.now < deadline else { throw ConsoleTimeout(waitedFor: what, screen: screen) }
            program.step(waitingUpTo: .zero)
            if !condition(program.state) { try await Task.sleep(for: .milliseconds(2)) }
        }
    }

    /// Waits until the screen shows `text`; returns the screen.
    @discardableResult
    package func waitFor(_ text: String, timeout: Duration = .seconds(30)) async throws -> String {
        try await waitUntil("\(text) on screen", timeout: timeout) { _ in screen.contains(text) }
        return screen
    }

    /// Waits until the users are loaded (or loading failed).
    package func waitForLoad() async throws {
        try await waitUntil("the list loaded") { state in
            switch state.load {
            case .done, .failed: true
            default: false
            }
        }
    }

    /// The screen as text: the last frame the terminal got.
    package var screen: String { terminal.screen?.text ?? "" }

    /// Stops the runner, giving actions in flight three seconds, and closes the terminal.
    package func stop() async {
        await program.runner.stop(grace: .seconds(3))
        terminal.close()
    }
}

/// A wait for the console that ran out of time; says what the screen showed.
package struct ConsoleTimeout: Error, CustomStringConvertible {
    package var waitedFor: String
    package var screen: String
    package init(waitedFor: String, screen: String) {
        self.waitedFor = waitedFor
        self.screen = screen
    }
    package var description: String { "timed out waiting for \(waitedFor); the screen was:\n\(screen)" }
}
