import ECGridKit

extension ConsoleState {
    /// Splits text into lines of at most `width` columns, at spaces where possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        if text.isEmpty { return [""] }
        // An indented line keeps its indent on every line it wraps to.
        let indent = text.prefix { $0 == " " }.count
        if indent > 0, indent < width, indent < text.count {
            let pad = String(repeating: " ", count: indent)
            return wrap(String(text.dropFirst(indent)), width: width - indent).map { pad + $0 }
        }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let w = TerminalText.width(String(word))
            if currentWidth > 0 && currentWidth + 1 + w > width {
                lines.append(current)
                current = ""
                currentWidth = 0
            }
            if w > width {
                // A word longer than a line: cut it.
                var piece = ""
                var pieceWidth = 0
                for character in word {
                    let cw = TerminalText.width(String(character))
                    if pieceWidth + cw > width {
                        lines.append(piece)
                        piece = ""
                        pieceWidth = 0
                    }
                    piece.append(character)
                    pieceWidth += cw
                }
                current = piece
                currentWidth = pieceWidth
                continue
            }
            if currentWidth > 0 {
                current += " "
                currentWidth += 1
            }
            current += word
            currentWidth += w
        }
        lines.append(current)
        return lines
    }
}
