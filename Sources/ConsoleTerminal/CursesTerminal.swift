import CNCurses
import ConsoleRuntime
import ConsoleUI
import Foundation

/// The only code that calls curses: opens the terminal, reads keys, and copies a `Grid` to the
/// screen as `Grid.diff` says: a region that moved is scrolled by the terminal, and only the
/// cells that still differ are drawn. Use it from one thread.
public final class CursesTerminal: TerminalBackend {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var previous: Grid?
    private var pairs: [Int: Int16] = [:]
    /// True when colours are in use (the terminal has them and NO_COLOR is not set).
    public let colors: Bool
    /// True when the locale's character set is UTF-8.
    public let utf8: Bool

    /// Opens the terminal, or explains why it cannot be used (TERM dumb or unknown, no tty).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try Self.preflight(environment: environment)
        setlocale(LC_ALL, "")
        let term = environment["TERM"] ?? ""
        guard let screen = newterm(nil, ecg_stdout(), ecg_stdin()) else {
            throw TerminalUnavailable(description: "TERM \"\(term)\" is unknown to this machine's terminfo: try TERM=xterm-256color.")
        }
        self.screen = screen
        set_term(screen)
        guard let window = stdscr_window() else {
            endwin()
            delscreen(screen)
            throw TerminalUnavailable(description: "The terminal could not be set up.")
        }
        self.window = window
        utf8 = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        wtimeout(window, 0)
        // Lets curses scroll a region with the terminal's own scrolling when a diff says so.
        idlok(window, true)
        var useColors = has_colors() && (environment["NO_COLOR"] ?? "").isEmpty
        if useColors {
            useColors = start_color() == ecg_ok()
            if useColors { use_default_colors() }
        }
        colors = useColors
    }

    /// Refuses, without touching the terminal, what cannot show the console: TERM unset or
    /// dumb, or standard input or output not a terminal.
    public static func preflight(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb" else {
            throw TerminalUnavailable(description:
                "TERM is \(term.isEmpty ? "not set" : "\"dumb\""): the full-screen console needs a terminal such as xterm-256color, screen or tmux. "
                + "The commands (ecgrid-console users list, reset …) work anywhere.")
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalUnavailable(description: "Standard input and output must be a terminal for the full-screen console. Use the commands in scripts.")
        }
    }

    /// Restores the terminal. Call once, before exit.
    public func close() {
        endwin()
        delscreen(screen)
    }

    /// Columns and rows now.
    public var size: (width: Int, height: Int) { (Int(getmaxx(window)), Int(getmaxy(window))) }

    /// Sleeps until a key arrives, `descriptor` becomes readable, a signal interrupts, or
    /// `timeout` passes.
    public func waitForInput(alsoWatching descriptor: Int32, timeout: Duration) {
        var watched = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
        if descriptor >= 0 { watched.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&watched, nfds_t(watched.count), timeout.pollMilliseconds)
    }

    /// The next event already typed, or nil when there is none.
    public func nextEvent() -> TerminalEvent? {
        var code: Int32 = 0
        let result = ecg_get_key(window, &code)
        if result == ecg_err() { return nil }
        if result == ecg_key_code_yes() {
            if code == KEY_RESIZE {
                previous = nil
                return .resize(width: size.width, height: size.height)
            }
            return Self.key(code: code).map(TerminalEvent.key)
        }
        return Self.key(character: code).map(TerminalEvent.key)
    }

    static func key(code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_BTAB: .backTab
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_ENTER: .enter
        default:
            (1...12).first { ecg_key_f($0) == code }.map { .function(Int($0)) }
        }
    }

    static func key(character code: Int32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code + 96))))
        default:
            guard code >= 32, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// Copies the grid to the screen: a region whose rows moved is scrolled by the terminal,
    /// then only the cells that differ from the last frame are drawn.
    public func draw(_ grid: Grid) {
        let diff = grid.diff(previous)
        if diff.clear { werase(window) }
        if let shift = diff.shift { scroll(shift, height: grid.height) }
        for run in diff.runs {
            for (offset, cell) in run.cells.enumerated() where !cell.isContinuation {
                let x = run.x + offset
                // Curses refuses the very last cell of the screen in some terminals; skip it.
                if run.y == grid.height - 1 && x == grid.width - 1 { continue }
                var wide = cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                wide.append(0)
                let (attributes, pair) = attributes(for: cell.style)
                _ = ecg_put_cell(window, Int32(run.y), Int32(x), wide, attributes, pair)
            }
        }
        previous = grid
        wnoutrefresh(window)
        doupdate()
    }

    /// Scrolls the rows of `shift`'s region in the window; curses sends it as the terminal's
    /// scroll region and a line feed (or reverse line feed), and the rows that come in blank.
    private func scroll(_ shift: RowShift, height: Int) {
        wsetscrreg(window, Int32(shift.top), Int32(shift.bottom))
        scrollok(window, true)
        wscrl(window, Int32(shift.by))
        scrollok(window, false)
        wsetscrreg(window, 0, Int32(max(0, height - 1)))
    }

    /// Puts `text` on the operator's clipboard: writes `Clipboard.osc52(text)` (sanitised,
    /// base64) straight to the terminal, after what curses has drawn. Nothing shows on screen.
    public func copy(_ text: String) {
        // doupdate has flushed what curses drew; the sequence follows it on the same descriptor.
        let bytes = Clipboard.osc52(text)
        var offset = 0
        bytes.withUnsafeBufferPointer { buffer in
            while offset < buffer.count {
                let written = write(STDOUT_FILENO, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// Forces the next draw to repaint everything.
    public func invalidate() { previous = nil }

    func attributes(for style: Style) -> (attr_t, Int16) {
        var attributes = ecg_attr_normal()
        if style.bold { attributes |= ecg_attr_bold() }
        if style.underline { attributes |= ecg_attr_underline() }
        if style.dim { attributes |= ecg_attr_dim() }
        if style.reverse { attributes |= ecg_attr_reverse() }
        guard colors else {
            // Without colour, a coloured background becomes reverse video so it still stands out.
            if style.background != nil { attributes |= ecg_attr_reverse() }
            return (attributes, 0)
        }
        return (attributes, pair(style.foreground, style.background))
    }

    func pair(_ foreground: ConsoleUI.Color?, _ background: ConsoleUI.Color?) -> Int16 {
        guard foreground != nil || background != nil else { return 0 }
        let key = (foreground.map { $0.rawValue + 1 } ?? 0) * 16 + (background.map { $0.rawValue + 1 } ?? 0)
        if let existing = pairs[key] { return existing }
        let number = Int16(pairs.count + 1)
        guard Int32(number) < COLOR_PAIRS_count() else { return 0 }
        init_pair(number, Int16(foreground.map { $0.rawValue } ?? -1), Int16(background.map { $0.rawValue } ?? -1))
        pairs[key] = number
        return number
    }
}
