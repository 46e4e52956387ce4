import ConsoleUI
import Foundation

/// How a console run ended, and the exit status that says so.
package enum ConsoleEnd: Sendable, Equatable {
    /// The operator quit.
    case quit
    /// The terminal cannot show the console (nothing was sent).
    case unavailable(String)
    /// A signal stopped it; any action in flight was recorded as outcome unknown.
    case stopped(signal: Int32)

    /// 0 when quit, 2 (refused before anything was sent) when the terminal is unusable,
    /// 128 + the signal when one stopped it.
    package var exitStatus: Int32 {
        switch self {
        case .quit: 0
        case .unavailable: 2
        case .stopped(let number): 128 + number
        }
    }

    /// The line for standard error, if any.
    package var message: String? {
        switch self {
        case .quit: nil
        case .unavailable(let description): "error: \(description)"
        case .stopped(let number):
            "ecgrid-console: stopped by \(SignalWatch.name(number)); any action in flight was recorded as outcome unknown."
        }
    }
}

extension ConsoleProgram {
    /// Runs the console on a terminal made by `open` (on the UI thread, the only one that
    /// touches it) until the operator quits or SIGINT, SIGTERM or SIGHUP arrives. In-flight
    /// actions then get three seconds to finish or be recorded as outcome unknown; the terminal
    /// is restored before this returns.
    package static func run(
        context: ConsoleContext, runner: EffectRunner, status: String? = nil,
        open: @escaping @Sendable () throws -> any TerminalBackend
    ) async -> ConsoleEnd {
        let signals = SignalWatch(wake: { runner.wake() })
        defer { signals.stop() }
        let caught = signals.caught
        let failure: String? = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: loop(context: context, runner: runner, status: status, caught: caught, open: open))
            }
            thread.name = "ecgrid-console UI"
            thread.start()
        }
        if let failure { return .unavailable(failure) }
        let stoppedBy = caught.number
        await runner.stop(grace: stoppedBy != nil || runner.actionsRunning ? .seconds(3) : .zero)
        return stoppedBy.map { .stopped(signal: $0) } ?? .quit
    }

    /// The UI thread: opens the terminal, runs the program, closes the terminal. Returns why
    /// the terminal could not be opened, or nil.
    private static func loop(
        context: ConsoleContext, runner: EffectRunner, status: String?, caught: CaughtSignal,
        open: () throws -> any TerminalBackend
    ) -> String? {
        let backend: any TerminalBackend
        do {
            backend = try open()
        } catch let error as TerminalUnavailable {
            return error.description
        } catch {
            return "\(error)"
        }
        defer { backend.close() }
        let program = ConsoleProgram(backend: backend, context: context, runner: runner)
        program.start(status: status)
        program.run { caught.number != nil }
        return nil
    }
}
