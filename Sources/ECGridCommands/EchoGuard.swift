#if canImport(Glibc)
import Glibc
#endif

/// Puts a terminal's modes back when a signal ends the process while a password prompt has
/// echo off: the handler restores the saved modes (`tcsetattr` is async-signal-safe), then
/// re-raises the signal with its default action, so the process still ends as it would have.
enum EchoGuard {
    /// The signals that end a process at a prompt.
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    // Read by the signal handler, which can capture nothing: set before it is installed and
    // cleared after it is removed, on the one thread that prompts.
    nonisolated(unsafe) static var descriptor: Int32 = -1
    nonisolated(unsafe) static var modes = termios()
    nonisolated(unsafe) static var previous: [Int32: __sighandler_t?] = [:]

    /// Saves the modes to restore and installs the handler for each signal.
    static func arm(descriptor: Int32, modes: termios) {
        Self.modes = modes
        Self.descriptor = descriptor
        for number in signals { previous[number] = signal(number, restoreAndReraise) }
    }

    /// Removes the handler (the caller restores the modes itself).
    static func disarm() {
        for number in signals { signal(number, previous[number] ?? SIG_DFL) }
        previous = [:]
        descriptor = -1
    }
}

/// The signal handler: restore the terminal, then die of the signal as by default.
private func restoreAndReraise(_ number: Int32) {
    if EchoGuard.descriptor >= 0 { _ = tcsetattr(EchoGuard.descriptor, TCSAFLUSH, &EchoGuard.modes) }
    signal(number, SIG_DFL)
    raise(number)
}
