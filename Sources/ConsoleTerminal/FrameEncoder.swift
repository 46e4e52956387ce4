import ConsoleUI
import ECGridKit

/// What the terminal can do beyond cursor addressing and SGR, read from terminfo.
struct TerminalAbilities: Sendable {
    /// Colours in use (the terminal has them and NO_COLOR is not set).
    var colors: Bool
    /// A scroll region (DECSTBM, terminfo `csr`).
    var scrollRegion: Bool
    /// Scrolling by a count whatever the cursor's row (SU and SD, terminfo `indn` and `rin`).
    var scrollByCount: Bool
    /// Moving to a column of the row (CHA, terminfo `hpa`).
    var columnAbsolute: Bool
    /// Erasing characters without moving (ECH, terminfo `ech`).
    var eraseCharacters: Bool
    /// A line feed moves the cursor one row down and keeps its column: terminfo's `cud1` is LF
    /// and the tty does not turn LF into CR LF (curses' `nonl`), the rule curses itself follows.
    var lineFeedDown = false
}

/// Turns a frame's `GridDiff` into the bytes that show it, as Ratatui's backends do: a region
/// that moved is scrolled by the terminal, each run of changed cells is reached by the
/// shortest cursor move (or written through when shorter), and the pen changes only as much
/// as the next cell needs. It keeps what it knows of the terminal (cursor, pen) between frames.
struct FrameEncoder {
    let abilities: TerminalAbilities
    private var cursor: (y: Int, x: Int)?
    private var pen = Style.plain
    private var out: [UInt8] = []

    init(abilities: TerminalAbilities) { self.abilities = abilities }

    /// Forgets the cursor (after curses or anything else wrote to the terminal).
    mutating func forgetCursor() {
        cursor = nil
        pen = .plain
    }

    /// The bytes that turn `previous` into `grid`. A moved region is looked for only when this
    /// terminal can scroll one (terminfo `csr`): without it, every changed cell is written.
    mutating func encode(_ grid: Grid, after previous: Grid?) -> [UInt8] {
        encode(grid.diff(previous.map(Self.lastCellUnknown), scrolling: abilities.scrollRegion), of: grid)
    }

    /// `grid` as the terminal shows it: the screen's last cell is never written (see `draw`),
    /// so what it holds is not known, and a scroll that brings it up must draw it again.
    static func lastCellUnknown(_ grid: Grid) -> Grid {
        guard grid.width > 0, grid.height > 0 else { return grid }
        var shown = grid
        // No text put into a grid is a NUL (it is sanitised): this cell matches none.
        shown[grid.width - 1, grid.height - 1] = Cell(text: "\u{0}", style: .plain)
        return shown
    }

    /// The bytes that turn the previous frame into `grid`, as `diff` says (a diff with a shift
    /// only where the terminal has a scroll region).
    mutating func encode(_ diff: GridDiff, of grid: Grid) -> [UInt8] {
        out.removeAll(keepingCapacity: true)
        if diff.clear {
            setPen(.plain)
            emit("\u{1B}[H\u{1B}[2J")
            cursor = (0, 0)
        }
        if let shift = diff.shift { scroll(shift) }
        for run in diff.runs { draw(run, of: grid) }
        setPen(.plain)
        return out
    }

    private mutating func draw(_ run: CellRun, of grid: Grid) {
        // Blanks that end a run are erased in one sequence when that is shorter (the cursor
        // stays; nothing on this row needs it after them).
        let blanks = run.cells.reversed().prefix { $0 == .blank }.count
        let erase = abilities.eraseCharacters && blanks >= 5 && run.x + run.cells.count < grid.width
        let shown = erase ? run.cells.count - blanks : run.cells.count
        for (offset, cell) in run.cells.prefix(shown).enumerated() where !cell.isContinuation {
            let x = run.x + offset
            // Writing the very last cell of the screen scrolls some terminals; it is left alone.
            if run.y == grid.height - 1 && x == grid.width - 1 { continue }
            // The pen first: a short gap before the cell may then be written through in it.
            setPen(cell.style)
            move(to: run.y, x, in: grid)
            emit(cell.text)
            // The terminal moves by the character's own width, whatever the next cell holds.
            let column = x + min(2, max(1, TerminalText.width(cell.text)))
            // At the right edge the cursor waits to wrap: where it is next is not known.
            cursor = column < grid.width ? (run.y, column) : nil
        }
        if erase {
            setPen(.plain)
            move(to: run.y, run.x + shown, in: grid)
            emit("\u{1B}[\(blanks)X")
        }
    }

    /// Scrolls the region with the pen plain (the rows that come in take its background).
    /// Setting the region moves the cursor home.
    private mutating func scroll(_ shift: RowShift) {
        guard abilities.scrollRegion else { return }
        setPen(.plain)
        emit("\u{1B}[\(shift.top + 1);\(shift.bottom + 1)r")
        let count = abs(shift.by)
        if abilities.scrollByCount {
            emit("\u{1B}[\(count == 1 ? "" : String(count))\(shift.by > 0 ? "S" : "T")")
        } else {
            emit(shift.by > 0 ? "\u{1B}[\(shift.bottom + 1)H" : "\u{1B}[\(shift.top + 1)H")
            for _ in 0..<count { emit(shift.by > 0 ? "\u{1B}D" : "\u{1B}M") }
        }
        emit("\u{1B}[r")
        cursor = (0, 0)
    }

    // MARK: Moving

    private mutating func move(to y: Int, _ x: Int, in grid: Grid) {
        if let cursor, cursor.y == y, cursor.x == x { return }
        var candidates = [Self.absolute(y, x)]
        if let cursor {
            // To the row first (none of these moves from the last row, where they would scroll),
            // then along it; from the first column when the vertical move returns there.
            var vertical: [(String, from: Int)] = []
            if y == cursor.y {
                vertical.append(("", from: cursor.x))
            } else if y > cursor.y {
                vertical.append((Self.csi(y - cursor.y, "B"), from: cursor.x))
                if y == cursor.y + 1 { vertical.append(("\u{1B}E", from: 0)) }
                if abilities.lineFeedDown && y - cursor.y <= 2 {
                    vertical.append((String(repeating: "\n", count: y - cursor.y), from: cursor.x))
                }
            } else {
                vertical.append((Self.csi(cursor.y - y, "A"), from: cursor.x))
            }
            for (down, from) in vertical {
                candidates.append(down + along(y, from: from, to: x, in: grid))
            }
        }
        emit(candidates.min { $0.utf8.count < $1.utf8.count } ?? "")
        cursor = (y, x)
    }

    /// The shortest way from column `start` to column `x` of row `y` (the cursor on that row):
    /// nothing, CR, CUF or CUB, CHA, or the cells between written through.
    private func along(_ y: Int, from start: Int, to x: Int, in grid: Grid) -> String {
        if x == start { return "" }
        var candidates = [x == 0 ? "\r" : nil, x < start ? (start - x == 1 ? "\u{8}" : Self.csi(start - x, "D")) : nil,
                          x > start ? Self.csi(x - start, "C") : nil, abilities.columnAbsolute ? Self.csi(x + 1, "G", one: false) : nil]
            .compactMap { $0 }
        if x > start, let through = writeThrough(y, from: start, to: x, in: grid) { candidates.append(through) }
        return candidates.min { $0.utf8.count < $1.utf8.count } ?? ""
    }

    /// The cells between the cursor and `x` written again, when they are plain narrow
    /// characters in the pen's style (cheaper than a move across a few cells).
    private func writeThrough(_ y: Int, from start: Int, to end: Int, in grid: Grid) -> String? {
        guard end - start <= 4 else { return nil }
        var text = ""
        for column in start..<end {
            let cell = grid[column, y]
            let style = terminalStyle(cell.style)
            guard style == pen, cell.text.utf8.count == 1 else { return nil }
            text += cell.text
        }
        return text
    }

    private static func absolute(_ y: Int, _ x: Int) -> String {
        if x == 0 { return y == 0 ? "\u{1B}[H" : "\u{1B}[\(y + 1)H" }
        return "\u{1B}[\(y + 1);\(x + 1)H"
    }

    private static func csi(_ count: Int, _ final: String, one: Bool = true) -> String {
        one && count == 1 ? "\u{1B}[\(final)" : "\u{1B}[\(count)\(final)"
    }

    // MARK: The pen

    /// The style as this terminal shows it (without colours: `colourless`).
    private func terminalStyle(_ style: Style) -> Style { abilities.colors ? style : Self.colourless(style) }

    private mutating func setPen(_ wanted: Style) {
        let style = terminalStyle(wanted)
        guard style != pen else { return }
        if style == .plain {
            emit("\u{1B}[m")
            pen = .plain
            return
        }
        // Only adding to the pen: the new parameters alone; else reset and set all.
        let adding = (!pen.bold || style.bold) && (!pen.dim || style.dim) && (!pen.underline || style.underline)
            && (!pen.reverse || style.reverse) && (pen.foreground == nil || pen.foreground == style.foreground)
            && (pen.background == nil || pen.background == style.background)
        let base = adding ? pen : .plain
        var parameters: [String] = adding ? [] : ["0"]
        if style.bold && !base.bold { parameters.append("1") }
        if style.dim && !base.dim { parameters.append("2") }
        if style.underline && !base.underline { parameters.append("4") }
        if style.reverse && !base.reverse { parameters.append("7") }
        if let foreground = style.foreground, foreground != base.foreground { parameters.append("3\(foreground.rawValue)") }
        if let background = style.background, background != base.background { parameters.append("4\(background.rawValue)") }
        emit("\u{1B}[\(parameters.joined(separator: ";"))m")
        pen = style
    }

    /// Without colours a coloured background becomes reverse video, so it still stands out.
    static func colourless(_ style: Style) -> Style {
        Style(bold: style.bold, reverse: style.reverse || style.background != nil, underline: style.underline, dim: style.dim)
    }

    private mutating func emit(_ text: String) { out.append(contentsOf: text.utf8) }
}
