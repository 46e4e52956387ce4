
/// An input event from the terminal.
package enum TerminalEvent: Sendable, Equatable {
    case key(Key)
    case resize(width: Int, height: Int)
}

/// Why the full-screen console cannot start on this terminal.
package struct TerminalUnavailable: Error, CustomStringConvertible {
    package var description: String
    package init(description: String) { self.description = description }
}

/// What `ConsoleProgram` runs against: a terminal that reports its size and character set,
/// delivers keys, shows a rendered `Grid` and copies text to the operator's clipboard. The
/// curses terminal is one; `MemoryTerminal` (a grid in memory) is another. Used from one
/// thread, the program's.
package protocol TerminalBackend: AnyObject {
    /// Columns and rows now.
    var size: (width: Int, height: Int) { get }
    /// True when the locale's character set is UTF-8 (else the console draws ASCII).
    var utf8: Bool { get }
    /// Sleeps until a key is typed, `descriptor` becomes readable, a signal interrupts, or
    /// `timeout` passes. Returns at once when a key is already waiting.
    func waitForInput(alsoWatching descriptor: Int32, timeout: Duration)
    /// The next event already typed, or nil when there is none.
    func nextEvent() -> TerminalEvent?
    /// Shows `grid`, writing only what changed since the last frame.
    func draw(_ grid: Grid)
    /// Puts `text` (already sanitised) on the operator's clipboard by OSC 52.
    func copy(_ text: String)
    /// Restores the terminal. Called once, last.
    func close()
}

extension Duration {
    /// Whole milliseconds, at least 0, for `poll`.
    package var pollMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(0, milliseconds))
    }
}
