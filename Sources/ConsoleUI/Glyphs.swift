/// The characters for borders and markers: box drawing in UTF-8, plain ASCII otherwise.
package struct Glyphs: Sendable, Equatable {
    package var horizontal: String
    package var vertical: String
    package var topLeft: String
    package var topRight: String
    package var bottomLeft: String
    package var bottomRight: String
    package var mark: String
    package var pointer: String
    package var arrow: String
    package var dot: String
    package var ellipsis: String
    /// Drawn where typing goes in a text field.
    package var cursor: String
    /// An en dash for ranges (`1–20 of 60`).
    package var range: String
    /// True for the ASCII set: text from outside is then sanitised to ASCII too.
    package var isASCII: Bool

    package static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        mark: "✓", pointer: "▶", arrow: "→", dot: "·", ellipsis: "…", cursor: "▏", range: "–", isASCII: false)
    package static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        mark: "*", pointer: ">", arrow: "->", dot: "|", ellipsis: "~", cursor: "_", range: "-", isASCII: true)
}
