import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The first signal that arrived, readable from any thread.
package final class CaughtSignal: Sendable {
    private let value = Mutex<Int32?>(nil)

    package init() {}

    /// The first signal that arrived, if any.
    package var number: Int32? { value.withLock { $0 } }

    func record(_ number: Int32) { value.withLock { if $0 == nil { $0 = number } } }
}

/// Catches SIGINT, SIGTERM and SIGHUP (what Ctrl-C, `kill` and an SSH drop deliver) while the
/// console is up: the first one is remembered and wakes the loop, which then ends cleanly.
/// Once stopped, a second signal ends the process at once (nothing that follows, a logout
/// say, may make it linger).
package final class SignalWatch {
    /// The signals the console handles itself.
    package static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    /// The first signal caught.
    package let caught = CaughtSignal()
    private var sources: [any DispatchSourceSignal] = []

    /// Starts watching; `wake` is called from another thread when a signal arrives.
    package init(wake: @escaping @Sendable () -> Void) {
        for number in Self.handled { signal(number, SIG_IGN) }
        let caught = caught
        sources = Self.handled.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                caught.record(number)
                wake()
            }
            source.resume()
            return source
        }
    }

    /// Stops watching and puts the default dispositions back.
    package func stop() {
        sources.forEach { $0.cancel() }
        sources = []
        for number in Self.handled { signal(number, SIG_DFL) }
    }

    /// The signal's name as an operator knows it.
    package static func name(_ number: Int32) -> String {
        number == SIGHUP ? "SIGHUP" : number == SIGTERM ? "SIGTERM" : "SIGINT"
    }
}
