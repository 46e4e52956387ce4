import ECGridKit

/// A colour the console asks for; the backend maps it to the terminal's palette.
package enum Color: Int, Hashable, Sendable, CaseIterable {
    case black, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell looks. Meaning never rests on colour alone: every state also has words or a marker.
package struct Style: Hashable, Sendable {
    package var foreground: Color?
    package var background: Color?
    package var bold = false
    package var reverse = false
    package var underline = false
    package var dim = false

    package init(foreground: Color? = nil, background: Color? = nil, bold: Bool = false, reverse: Bool = false,
                underline: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    package static let plain = Style()
    package static let bold = Style(bold: true)
    package static let selected = Style(reverse: true)
    package static let header = Style(foreground: .white, background: .blue, bold: true)
    package static let success = Style(foreground: .green, bold: true)
    package static let failure = Style(foreground: .red, bold: true)
    package static let warning = Style(foreground: .yellow, bold: true)
    package static let dim = Style(dim: true)
    package static let danger = Style(foreground: .white, background: .red, bold: true)
    package static let title = Style(foreground: .cyan, bold: true)
}

/// One terminal cell: a grapheme (or "" for the right half of a wide character) and its style.
package struct Cell: Hashable, Sendable {
    package var text: String
    package var style: Style

    package init(text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }

    package static let blank = Cell(text: " ", style: .plain)
    /// The right half of a wide character.
    package var isContinuation: Bool { text.isEmpty }

    /// True when the two cells show the same on a terminal: equal, or both a space whose
    /// style has nothing a space can show (no background, reverse or underline).
    package func looksLike(_ other: Cell) -> Bool {
        self == other || (text == " " && other.text == " " && style.blankLooksPlain && other.style.blankLooksPlain)
    }
}

extension Style {
    /// True when a space in this style looks like a plain space (bold, dim and a foreground
    /// colour do not show on it).
    var blankLooksPlain: Bool { background == nil && !reverse && !underline }
}

/// An in-memory screen the renderer draws into and the backend copies to the terminal. Every
/// text put into it is sanitised first, so nothing from outside can reach the terminal raw.
package struct Grid: Sendable, Equatable {
    package let width: Int
    package let height: Int
    /// ASCII only (the locale is not UTF-8).
    package let ascii: Bool
    package private(set) var cells: [Cell]

    package init(width: Int, height: Int, ascii: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.ascii = ascii
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    package subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` from (x, y), at most `limit` columns (to the right edge by default), and
    /// returns the columns used. Wide characters never straddle the limit.
    @discardableResult
    package mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, x + (limit ?? width))
        // Every character drawn takes at least one column (once sanitised), so a prefix a little
        // longer than the room is all that can show: a 10,000-character name costs its cell run.
        let room = max(0, end - x) + 64
        let shown = text.utf8.count <= room ? text : String(text.prefix(room))
        let safe = ascii ? TerminalText.sanitizeASCII(shown) : TerminalText.sanitize(shown)
        var column = x
        for character in safe {
            let w = min(2, TerminalText.width(String(character)))
            if w == 0 {
                // A combining mark joins the character before it.
                if column > x, column - 1 >= 0 {
                    var previous = column - 1
                    if self[previous, y].isContinuation, previous > 0 { previous -= 1 }
                    self[previous, y].text += String(character)
                }
                continue
            }
            if column + w > end { break }
            if column >= 0 {
                // A wide character cut in half by this one leaves a blank, not half of itself.
                if self[column, y].isContinuation, column > 0 { self[column - 1, y] = .blank }
                if column + w < width, self[column + w, y].isContinuation { self[column + w, y] = .blank }
                self[column, y] = Cell(text: String(character), style: style)
                if w == 2 { self[column + 1, y] = Cell(text: "", style: style) }
            }
            column += w
        }
        return column - x
    }

    /// Fills a run of cells with spaces in a style.
    package mutating func fill(x: Int, y: Int, count: Int, style: Style) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + count) { self[column, y] = Cell(text: " ", style: style) }
    }

    /// Sets the style of a run of cells, keeping their text.
    package mutating func restyle(x: Int, y: Int, count: Int, style: Style) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + count) { self[column, y].style = style }
    }

    /// True when the two grids show the same on a terminal, cell by cell (`Cell.looksLike`).
    package func looksLike(_ other: Grid) -> Bool {
        width == other.width && height == other.height && zip(cells, other.cells).allSatisfy { $0.looksLike($1) }
    }

    /// The text of one row (wide characters once, trailing spaces kept).
    package func line(_ y: Int) -> String {
        (0..<width).map { self[$0, y].text }.joined()
    }

    /// Every row's text, for tests and screenshots.
    package var lines: [String] { (0..<height).map(line) }

    /// The rows joined with newlines, trailing spaces removed.
    package var text: String {
        lines.map { line in
            var trimmed = Substring(line)
            while trimmed.last == " " { trimmed.removeLast() }
            return String(trimmed)
        }.joined(separator: "\n")
    }
}
