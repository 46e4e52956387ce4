import CNCurses
import ConsoleUI
import ECGridKit
import Foundation
import SystemCalls

/// The only code that calls curses: curses opens the terminal (modes, alternate screen, keypad)
/// and reads keys; frames go out as `Grid.diff` says, encoded by `FrameEncoder` (a region that
/// moved is scrolled by the terminal, and only the cells that still differ are written, with
/// the shortest moves and pen changes). Use it from one thread.
package final class CursesTerminal: TerminalBackend {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var previous: Grid?
    private var encoder: FrameEncoder
    /// True when the environment's locale is UTF-8 (`TerminalText.localeIsUTF8`, the rule the
    /// command line's output follows too): then frames are drawn in Unicode, else in ASCII.
    package let utf8: Bool

    /// Opens the terminal, or explains why it cannot be used (TERM dumb or unknown, no tty).
    package init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
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
        guard ecg_cursor_is_ecma48() != 0 else {
            endwin()
            delscreen(screen)
            throw TerminalUnavailable(description:
                "TERM \"\(term)\" does not take ANSI (ECMA-48) cursor sequences, which the console writes: try TERM=xterm-256color or vt100. "
                + "The commands (ecgrid-console users list, reset …) work anywhere.")
        }
        self.window = window
        utf8 = TerminalText.localeIsUTF8(environment)
        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        wtimeout(window, 0)
        var useColors = has_colors() && (environment["NO_COLOR"] ?? "").isEmpty
        if useColors {
            useColors = start_color() == ecg_ok()
            if useColors { use_default_colors() }
        }
        encoder = FrameEncoder(abilities: TerminalAbilities(
            colors: useColors, scrollRegion: ecg_has_string_cap("csr") != 0,
            scrollByCount: ecg_has_string_cap("indn") != 0 && ecg_has_string_cap("rin") != 0,
            columnAbsolute: ecg_has_string_cap("hpa") != 0, eraseCharacters: ecg_has_string_cap("ech") != 0,
            lineFeedDown: ecg_string_cap_is("cud1", "\n") != 0 && !Self.ttyAddsReturn()))
        // Curses enters the alternate screen and clears it; from here on the frames are ours.
        werase(window)
        wrefresh(window)
    }

    /// True when the tty turns each LF written into CR LF (`onlcr`). ncurses turns that off when
    /// it takes the terminal, and a line feed then only moves down; it is read back here, not
    /// assumed. Unknown counts as true.
    static func ttyAddsReturn() -> Bool {
        var modes = termios()
        guard tcgetattr(STDOUT_FILENO, &modes) == 0 else { return true }
        return modes.c_oflag & tcflag_t(OPOST) != 0 && modes.c_oflag & tcflag_t(ONLCR) != 0
    }

    /// Refuses, without touching the terminal, what cannot show the console: TERM unset or
    /// dumb, or standard input or output not a terminal.
    package static func preflight(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
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
    package func close() {
        endwin()
        delscreen(screen)
    }

    /// Columns and rows now.
    package var size: (width: Int, height: Int) { (Int(getmaxx(window)), Int(getmaxy(window))) }

    /// Sleeps until a key arrives, `descriptor` becomes readable, a signal interrupts, or
    /// `timeout` passes.
    package func waitForInput(alsoWatching descriptor: Int32, timeout: Duration) {
        var watched = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
        if descriptor >= 0 { watched.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&watched, nfds_t(watched.count), timeout.pollMilliseconds)
    }

    /// The next event already typed, or nil when there is none.
    package func nextEvent() -> TerminalEvent? {
        var code: Int32 = 0
        let result = ecg_get_key(window, &code)
        if result == ecg_err() { return nil }
        if result == ecg_key_code_yes() {
            if code == KEY_RESIZE {
                // Curses clears the resized screen now, not in a later read; the next frame is whole.
                wrefresh(window)
                encoder.forgetCursor()
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
    /// then only the cells that differ from the last frame are written, in one write.
    package func draw(_ grid: Grid) {
        let bytes = encoder.encode(grid, after: previous)
        previous = grid
        guard !bytes.isEmpty else { return }
        writeAll(bytes)
    }

    /// Puts `text` on the operator's clipboard: writes `Clipboard.osc52(text)` (sanitised,
    /// base64) straight to the terminal, after what curses has drawn. Nothing shows on screen.
    package func copy(_ text: String) {
        // Frames are written as they are drawn; the sequence follows the last one.
        writeAll(Clipboard.osc52(text))
    }

    /// Writes all of `bytes` to standard output (the terminal). A failed write is dropped:
    /// there is nowhere else to show it, and the next frame is drawn whole after a resize.
    private func writeAll(_ bytes: [UInt8]) {
        SystemCall.writeAll(STDOUT_FILENO, bytes)
    }}
