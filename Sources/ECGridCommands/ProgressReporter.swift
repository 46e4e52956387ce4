import ECGridActions
import ECGridKit
import Foundation
import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Standard error during long work: the updating `ProgressLine` when standard error is a
/// terminal (and `--quiet` was not given), and with `--verbose` a line for each request
/// (method, path, HTTP status, latency, attempt: never a header, a body or a credential).
final class ProgressReporter: Sendable {
    /// True when the updating line is drawn.
    let showsLine: Bool
    let verbose: Bool
    private let state = Mutex(State())
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    private struct State {
        var line: ProgressLine?
        var started = ContinuousClock.now
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
    }

    init(_ options: OutputOptions, stderrIsTerminal: Bool = Output.isTerminal(STDERR_FILENO)) {
        showsLine = stderrIsTerminal && !options.quiet
        verbose = options.verbose
    }

    /// The client, telling this reporter of every retry and (with `--verbose`) every attempt.
    func observe(_ client: ECGridClient) -> ECGridClient {
        var copy = client
        let previous = client.onRetry
        copy.onRetry = { [self] event in
            previous?(event)
            retried(event)
        }
        if verbose {
            copy.onAttempt = { [self] event in attempted(event) }
        }
        return copy
    }

    /// Shows an event of an action in progress: a retry on the line, a finished user as one
    /// more done.
    func show(_ event: ActionEvent) {
        switch event {
        case .retrying(let retry): retried(retry)
        case .finished: advance()
        }
    }

    /// Starts the line (when it is shown at all) for work of `total` items, if known.
    func begin(_ label: String, total: Int? = nil, paged: Bool = false) {
        guard showsLine else { return }
        state.withLock { state in
            state.line = ProgressLine(label: label, total: total, pages: paged ? 0 : nil, width: Self.columns(), ascii: !Output.utf8)
            state.started = .now
            state.lastDraw = nil
        }
        // The elapsed time and a 429's wait count on while no answer comes.
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                self?.redraw(force: true)
            }
        }
        ticker.withLock { $0 = task }
    }

    /// Sets how far the work is; the line is redrawn at most ten times a second.
    func update(done: Int, pages: Int? = nil) {
        guard showsLine else { return }
        state.withLock { state in
            state.line?.done = done
            if let pages { state.line?.pages = pages }
        }
        redraw(force: false)
    }

    /// One more item done.
    func advance() {
        guard showsLine else { return }
        state.withLock { state in state.line?.done += 1 }
        redraw(force: false)
    }

    /// Erases the line; nothing of it stays on the terminal.
    func finish() {
        ticker.withLock { task in
            task?.cancel()
            task = nil
        }
        state.withLock { state in
            if state.drawn { Self.write(ProgressLine.erase) }
            state.drawn = false
            state.line = nil
        }
    }

    /// Runs `body` (which writes to a terminal standard output) with the line out of the way.
    func clearing(_ body: () -> Void) {
        guard showsLine, Output.isTerminal(STDOUT_FILENO) else { return body() }
        state.withLock { state in
            if state.drawn { Self.write(ProgressLine.erase) }
            state.drawn = false
        }
        body()
        redraw(force: true)
    }

    private func retried(_ event: RetryEvent) {
        guard showsLine else { return }
        state.withLock { state in
            let elapsed = ContinuousClock.now - state.started
            state.line?.retry(event, at: elapsed)
        }
        redraw(force: true)
    }

    private func attempted(_ event: AttemptEvent) {
        var text = "\(event.request) → "
        if let status = event.httpStatus {
            text += "HTTP \(status)" + (event.failure.map { " \($0)" } ?? "")
        } else {
            text += "no answer (\(event.failure ?? "failed"))"
        }
        text += " in \(event.latencyMs) ms (attempt \(event.attempt))"
        let bytes = Array((Output.safe(text) + "\n").utf8)
        state.withLock { state in
            guard state.drawn, let line = state.line else { return Self.write(bytes) }
            Self.write(ProgressLine.erase + bytes + line.frame(elapsed: .now - state.started))
        }
    }

    private func redraw(force: Bool) {
        state.withLock { state in
            guard let line = state.line else { return }
            let now = ContinuousClock.now
            if !force, let last = state.lastDraw, now - last < .milliseconds(100) { return }
            state.lastDraw = now
            state.drawn = true
            Self.write(line.frame(elapsed: now - state.started))
        }
    }

    /// The terminal's width on standard error (80 when it cannot be told).
    static func columns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Writes the line to standard error; a failed write only loses the progress line.
    private static func write(_ bytes: [UInt8]) {
        SystemCall.writeAll(STDERR_FILENO, bytes)
    }
}
