import ConsoleRuntime
import ConsoleTerminal
import ConsoleUI
import Foundation
import IncidentLog
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The UI loop: keys and effect answers become messages, `update` changes the state, and the
/// rendered grid goes to the terminal. Runs on a thread of its own, the only one that touches
/// curses. SIGINT, SIGTERM and SIGHUP end it cleanly: in-flight actions are cancelled (their
/// outcome recorded as unknown), and the terminal is restored.
enum ConsoleLoop {
    /// The signal that stopped the console, if any.
    static let caught = Mutex<Int32?>(nil)

    static func run(environment: ConsoleUI.Environment, runner: EffectRunner, status: String? = nil) async -> Int32 {
        let signals = [SIGINT, SIGTERM, SIGHUP]
        for number in signals { signal(number, SIG_IGN) }
        let sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                caught.withLock { if $0 == nil { $0 = number } }
                runner.wake()
            }
            source.resume()
            return source
        }
        defer {
            sources.forEach { $0.cancel() }
            // Once the console is closed, a second signal ends the process at once (nothing
            // that follows, a logout say, may make it linger).
            for number in signals { signal(number, SIG_DFL) }
        }
        let result: Result<Void, TerminalUnavailable> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: loop(environment: environment, runner: runner, status: status))
            }
            thread.name = "ecgrid-console UI"
            thread.start()
        }
        let stoppedBy = caught.withLock { $0 }
        if case .failure(let failure) = result {
            Output.error("error: \(failure.description)")
            return ExitStatus.refused
        }
        if stoppedBy != nil || runner.actionsRunning {
            await runner.stop(grace: .seconds(3))
        } else {
            await runner.stop(grace: .zero)
        }
        if let stoppedBy {
            let name = stoppedBy == SIGHUP ? "SIGHUP" : stoppedBy == SIGTERM ? "SIGTERM" : "SIGINT"
            Output.error("ecgrid-console: stopped by \(name); any action in flight was recorded as outcome unknown.")
            return 128 + stoppedBy
        }
        return ExitStatus.success
    }

    static func loop(environment: ConsoleUI.Environment, runner: EffectRunner, status: String?) -> Result<Void, TerminalUnavailable> {
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal()
        } catch let error as TerminalUnavailable {
            return .failure(error)
        } catch {
            return .failure(TerminalUnavailable(description: "\(error)"))
        }
        defer { terminal.close() }
        let size = terminal.size
        var state = ConsoleState(width: size.width, height: size.height, environment: environment, ascii: !terminal.utf8)
        // A copy is written to the terminal by the backend; everything else runs off this loop.
        func perform(_ effects: [Effect]) {
            for effect in effects {
                if case .copy(let text) = effect { terminal.copy(text) } else { runner.run(effect) }
            }
        }
        perform(state.start())
        if let status { perform(state.update(.notice(status))) }
        terminal.draw(state.render())
        while !state.quitting {
            if caught.withLock({ $0 }) != nil { break }
            // Asleep until a key, an answer (the runner's wake pipe) or a signal; the time-out
            // only bounds how late a resize that reached another thread is noticed.
            terminal.waitForInput(alsoWatching: runner.wakeDescriptor, milliseconds: 100)
            var changed = false
            var keyed = false
            while !state.quitting, let event = terminal.next() {
                keyed = true
                let message: Message = switch event {
                case .key(let key): .key(key)
                case .resize(let width, let height): .resize(width: width, height: height)
                }
                perform(state.update(message))
            }
            // The keys' effect goes to the screen first; what arrived from the network meanwhile follows.
            if keyed { terminal.draw(state.render()) }
            for message in runner.drain() {
                changed = true
                perform(state.update(message))
            }
            if changed { terminal.draw(state.render()) }
        }
        return .success(())
    }
}
