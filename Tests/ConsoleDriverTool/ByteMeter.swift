import ConsoleTestSupport
import Foundation

/// The bytes a program in a captured pane has written (`Tmux.startCaptured`, `pipe-pane -o`):
/// exactly what it writes to its terminal, counted from the file the copy goes to. The
/// benchmarks read their byte counts from it (`console-driver --bytes`).
struct ByteMeter {
    let path: String

    /// Bytes written so far.
    func count() -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Returns once nothing more has been written for `window` (the screen has settled), or
    /// after `timeout`; the count then. A key's bytes are the count after it settles less the
    /// count before it was sent; the same window as a direct pseudo-terminal read (bench.py).
    @discardableResult
    func quiet(for window: Duration, timeout: Duration = .seconds(10)) async throws -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last = count()
        var changed = clock.now
        while clock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
            let now = count()
            if now != last {
                last = now
                changed = clock.now
            } else if clock.now - changed >= window {
                break
            }
        }
        return last
    }

    /// Sends `keys` (tmux key names), waits until the screen has settled for `window`, and
    /// returns the bytes written meanwhile.
    func press(_ keys: [String], on tmux: Tmux, window: Duration) async throws -> Int {
        let before = count()
        for key in keys { try await tmux.send(key) }
        return try await quiet(for: window) - before
    }
}
