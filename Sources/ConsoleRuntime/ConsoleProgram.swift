import ConsoleUI

/// The console's loop, whatever the terminal: keys and effect answers become messages,
/// `update` changes the state, effects go to the runner (a copy to the backend), and the
/// rendered grid goes to the backend. The executable runs it on the curses terminal
/// (`ConsoleProgram.run`); tests run the same turns on a `MemoryTerminal`.
package final class ConsoleProgram {
    /// The console's state: changed only by `update`, through this program.
    package private(set) var state: ConsoleState
    /// Runs the effects off the loop and hands their answers back.
    package let runner: EffectRunner
    /// The terminal the program reads keys from and draws on.
    package let backend: any TerminalBackend

    /// A program on `backend`, sized to it, with ASCII drawing when its locale is not UTF-8.
    package init(backend: any TerminalBackend, context: ConsoleContext, runner: EffectRunner) {
        self.backend = backend
        self.runner = runner
        let size = backend.size
        state = ConsoleState(width: size.width, height: size.height, context: context, ascii: !backend.utf8)
    }

    /// Starts the first effects (operator, users, history), shows `status` if given, and draws
    /// the first frame.
    package func start(status: String? = nil) {
        carryOut(state.start())
        if let status { carryOut(state.update(.notice(status))) }
        backend.draw(state.render())
    }

    /// True once `update` asked for the end (`Effect.quit`): the loop stops after that turn.
    package private(set) var finished = false

    /// One turn of the loop: waits up to `timeout` for a key or an answer, applies every key
    /// already typed and draws, then applies the answers that arrived and draws again. The
    /// keys' effect reaches the screen first; what came from the network meanwhile follows.
    package func step(waitingUpTo timeout: Duration) {
        backend.waitForInput(alsoWatching: runner.wakeDescriptor, timeout: timeout)
        var keyed = false
        while !finished, let event = backend.nextEvent() {
            keyed = true
            send(Self.message(for: event))
        }
        if keyed { backend.draw(state.render()) }
        let answers = runner.drain()
        for message in answers { send(message) }
        if !answers.isEmpty { backend.draw(state.render()) }
    }

    /// Runs turns until the operator quits or `stop` says so (a signal arrived). The time-out
    /// only bounds how late a resize that reached another thread is noticed.
    package func run(until stop: () -> Bool = { false }) {
        while !finished, !stop() {
            step(waitingUpTo: .milliseconds(100))
        }
    }

    /// Applies one message and carries out the effects it returns.
    package func send(_ message: Message) {
        carryOut(state.update(message))
    }

    static func message(for event: TerminalEvent) -> Message {
        switch event {
        case .key(let key): .key(key)
        case .resize(let width, let height): .resize(width: width, height: height)
        }
    }

    /// `.quit` ends the loop and a copy is written to the terminal by the backend, here on the
    /// loop; everything else runs off the loop, in the runner.
    private func carryOut(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .quit: finished = true
            case .copy(let text): backend.copy(text)
            default: runner.run(effect)
            }
        }
    }
}
