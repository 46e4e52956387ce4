/// The characters for borders and markers: box drawing in UTF-8, plain ASCII otherwise.
public struct Glyphs: Sendable, Equatable {
    public var horizontal: String
    public var vertical: String
    public var topLeft: String
    public var topRight: String
    public var bottomLeft: String
    public var bottomRight: String
    public var mark: String
    public var pointer: String
    public var arrow: String
    public var dot: String
    public var ellipsis: String
    /// Drawn where typing goes in a text field.
    public var cursor: String
    /// An en dash for ranges (`1–20 of 60`).
    public var range: String
    /// True for the ASCII set: text from outside is then sanitised to ASCII too.
    public var isASCII: Bool

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        mark: "✓", pointer: "▶", arrow: "→", dot: "·", ellipsis: "…", cursor: "▏", range: "–", isASCII: false)
    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        mark: "*", pointer: ">", arrow: "->", dot: "|", ellipsis: "~", cursor: "_", range: "-", isASCII: true)
}
