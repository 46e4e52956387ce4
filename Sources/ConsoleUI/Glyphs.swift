/// The characters for borders and markers: box drawing in UTF-8, plain ASCII otherwise.
public struct Glyphs: Sendable {
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

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        mark: "✓", pointer: "▶", arrow: "→", dot: "·", ellipsis: "…")
    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        mark: "*", pointer: ">", arrow: "->", dot: "|", ellipsis: "~")
}
