import ConsoleUI

#if canImport(Glibc)
import Glibc
#endif

/// A terminal in memory (for drawing, what Ratatui's TestBackend is; it takes keys too): keys
/// are queued by the caller, frames are kept as grids, copies as texts. Each frame is applied
/// as the diff a real terminal gets (`Grid.diff`: scroll, then changed runs) to the screen
/// shown so far, so every run of the console in tests also proves the diff reproduces the frame.
package final class MemoryTerminal: TerminalBackend {
    package private(set) var size: (width: Int, height: Int)
    package let utf8: Bool
    /// The last frame drawn; nil before the first.
    package private(set) var screen: Grid?
    /// Frames drawn, and those whose diff scrolled a region.
    package private(set) var frames = 0
    package private(set) var scrolls = 0
    /// Frames whose diff did not reproduce the grid (must stay 0).
    package private(set) var mismatches = 0
    /// Texts put on the clipboard, in order.
    package private(set) var copies: [String] = []
    package private(set) var closed = false
    private var pending: [TerminalEvent] = []
    /// What a terminal would show: every diff applied to the last.
    private var shown: Grid?

    package init(width: Int = 100, height: Int = 30, utf8: Bool = true) {
        size = (width, height)
        self.utf8 = utf8
    }

    /// Queues keys, as if typed.
    package func type(_ keys: [Key]) { pending += keys.map(TerminalEvent.key) }

    /// Resizes the terminal: the program hears of it with the next keys.
    package func resize(width: Int, height: Int) {
        size = (width, height)
        pending.append(.resize(width: width, height: height))
    }

    package func waitForInput(alsoWatching descriptor: Int32, timeout: Duration) {
        guard pending.isEmpty, descriptor >= 0 else { return }
        var watched = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        _ = poll(&watched, 1, timeout.pollMilliseconds)
    }

    package func nextEvent() -> TerminalEvent? { pending.isEmpty ? nil : pending.removeFirst() }

    package func draw(_ grid: Grid) {
        let diff = grid.diff(screen)
        let shown = (shown ?? grid).applying(diff)
        if !shown.looksLike(grid) { mismatches += 1 }
        if diff.shift != nil { scrolls += 1 }
        self.shown = shown
        screen = grid
        frames += 1
    }

    package func copy(_ text: String) { copies.append(text) }

    package func close() { closed = true }
}
