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
    /// and the tty does not turn LF into CR LF (no `onlcr`: ncurses turns it off when it takes
    /// the terminal; `CursesTerminal` reads it back rather than assume it).
    var lineFeedDown = false
}

/// Turns a frame's `GridDiff` into the bytes that show it: a region that moved is scrolled by
/// the terminal, each run of changed cells is reached by the shortest cursor move (or written
/// through when shorter), and the pen changes only as much as the next cell needs. It keeps
/// what it knows of the terminal (cursor, pen) between frames.
///
/// The ideas come from ncurses, whose scroll optimiser (hashmap.c, `_nc_scroll_optimize`)
/// scrolls rows that moved and whose `mvcur` picks the cheapest cursor move, and from Bubble
/// Tea's standard renderer, which writes only what changed since the last frame (whole lines
/// there, runs of cells here).
struct FrameEncoder {
    let abilities: TerminalAbilities
    private var cursor: (y: Int, x: Int)?
    /// False once a character whose width terminals disagree on (an emoji, a sequence of
    /// scalars) was written since the column was last set outright: the row is then known,
    /// the column is not, and the next move sets the column (CR, CHA, NEL or absolute).
    private var columnSure = true
    private var pen = Style.plain
    private var out: [UInt8] = []

    init(abilities: TerminalAbilities) { self.abilities = abilities }

    /// Forgets the cursor (after curses or anything else wrote to the terminal).
    mutating func forgetCursor() {
        cursor = nil
        columnSure = true
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
            columnSure = true
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
            // The terminal moves by the character's own width, whatever the next cell holds.
            let column = x + min(2, max(1, TerminalText.width(cell.text)))
            // Writing the very last cell of the screen (or a wide character over it) scrolls
            // some terminals; it is left alone.
            if run.y == grid.height - 1 && column >= grid.width { continue }
            // The pen first: a short gap before the cell may then be written through in it.
            setPen(cell.style)
            move(to: run.y, x, in: grid)
            emit(cell.text)
            if !Self.widthAgreed(cell.text) { columnSure = false }
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
        columnSure = true
    }

    // MARK: Moving

    private mutating func move(to y: Int, _ x: Int, in grid: Grid) {
        if let cursor, cursor.y == y, cursor.x == x, columnSure { return }
        var candidates = [Self.absolute(y, x)]
        if let cursor {
            // To the row first (none of these moves from the last row, where they would scroll),
            // then along it; from the first column when the vertical move returns there. Only
            // NEL sets the column; the others keep it, known or not.
            var vertical: [(String, from: Int, sure: Bool)] = []
            if y == cursor.y {
                vertical.append(("", from: cursor.x, sure: columnSure))
            } else if y > cursor.y {
                vertical.append((Self.csi(y - cursor.y, "B"), from: cursor.x, sure: columnSure))
                if y == cursor.y + 1 { vertical.append(("\u{1B}E", from: 0, sure: true)) }
                if abilities.lineFeedDown && y - cursor.y <= 3 {
                    vertical.append((String(repeating: "\n", count: y - cursor.y), from: cursor.x, sure: columnSure))
                }
            } else {
                vertical.append((Self.csi(cursor.y - y, "A"), from: cursor.x, sure: columnSure))
            }
            for (down, from, sure) in vertical {
                if let horizontal = along(y, from: from, to: x, sure: sure, in: grid) { candidates.append(down + horizontal) }
            }
        }
        emit(candidates.min { $0.utf8.count < $1.utf8.count } ?? "")
        cursor = (y, x)
        columnSure = true
    }

    /// The shortest way from column `start` to column `x` of row `y` (the cursor on that row):
    /// nothing, CR, CR and CUF, CUF or CUB, CHA, or the cells between written through. When
    /// the column is not known (`sure` false), only the moves that set it: nil if there is none.
    private func along(_ y: Int, from start: Int, to x: Int, sure: Bool, in grid: Grid) -> String? {
        if x == start && sure { return "" }
        let column = abilities.columnAbsolute ? Self.csi(x + 1, "G", one: false) : nil
        let fromFirst = x == 0 ? "\r" : "\r" + Self.csi(x, "C")
        guard sure else { return [column, fromFirst].compactMap { $0 }.min { $0.utf8.count < $1.utf8.count } }
        var candidates = [fromFirst, column, x < start ? (start - x == 1 ? "\u{8}" : Self.csi(start - x, "D")) : nil,
                          x > start ? Self.csi(x - start, "C") : nil]
            .compactMap { $0 }
        if x > start, let through = writeThrough(y, from: start, to: x, in: grid) { candidates.append(through) }
        return candidates.min { $0.utf8.count < $1.utf8.count }
    }

    /// True when terminals agree on the character's width: one scalar that is not shown as an
    /// emoji by default. Emoji (🚀) and sequences (a variation selector as in ❤️, a joiner,
    /// combining marks) are drawn one or two columns wide depending on the terminal and its
    /// version; symbols shown as text (▶, ✓) and CJK are not.
    static func widthAgreed(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first else { return false }
        return scalar.isASCII || !scalar.properties.isEmojiPresentation
    }

    /// The cells between the cursor and `x` written again, when they are plain narrow
    /// characters that look the same in the pen's style (the same style, or a space in a
    /// dim row's pen): cheaper than a move across a few cells.
    private func writeThrough(_ y: Int, from start: Int, to end: Int, in grid: Grid) -> String? {
        guard end - start <= 4 else { return nil }
        var text = ""
        for column in start..<end {
            let cell = grid[column, y]
            let shown = Cell(text: cell.text, style: terminalStyle(cell.style))
            guard cell.text.utf8.count == 1, Cell(text: cell.text, style: pen).looksLike(shown) else { return nil }
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
