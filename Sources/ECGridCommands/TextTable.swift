import ECGridKit

/// An aligned text table: the one table writer of the command line (user lists, reset
/// reports, history, the confirmation prompt). Cells are cut to their column's width with
/// `TerminalText.fit`; the caller makes them safe first.
package struct TextTable: Sendable {
    package var headers: [String]
    package var rows: [[String]]
    /// Columns aligned to the right (numbers).
    package var rightAligned: Set<Int>
    /// The widest a column's cells make it, by column; `defaultMaxWidth` for the others. A
    /// header is never cut.
    package var maxWidths: [Int: Int]
    package var defaultMaxWidth: Int
    /// Written before every line (`"  "` for a table inside a prompt).
    package var indent: String

    package init(
        _ headers: [String], _ rows: [[String]], rightAligned: Set<Int> = [], maxWidths: [Int: Int] = [:],
        defaultMaxWidth: Int = 40, indent: String = ""
    ) {
        self.headers = headers
        self.rows = rows
        self.rightAligned = rightAligned
        self.maxWidths = maxWidths
        self.defaultMaxWidth = defaultMaxWidth
        self.indent = indent
    }

    /// The widths of the columns.
    package var widths: [Int] {
        var widths = headers.map { TerminalText.width($0) }
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], min(TerminalText.width(cell), maxWidths[index] ?? defaultMaxWidth))
            }
        }
        return widths
    }

    /// The table, a line for the headers and one a row, each ending in a newline; no line
    /// ends in spaces.
    package func text(ascii: Bool) -> String {
        let widths = self.widths
        var out = ""
        for cells in [headers] + rows {
            var line = indent + cells.enumerated().map { index, cell in
                TerminalText.fit(cell, to: widths[index], ascii: ascii, alignRight: rightAligned.contains(index))
            }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
