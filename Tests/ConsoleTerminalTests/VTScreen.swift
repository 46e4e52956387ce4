import ConsoleUI
import ECGridKit

/// A small terminal for the tests: enough of VT100/xterm to play what `FrameEncoder` writes
/// (cursor moves, LF and BS, SGR, scroll regions, SU/SD, IND/RI/NEL, ECH, clear) into a
/// grid of cells. LF only moves down, as on a tty without `onlcr`.
struct VTScreen {
    private(set) var cells: [[Cell]]
    let width: Int
    let height: Int
    private var y = 0
    private var x = 0
    private var pen = Style.plain
    private var top = 0
    private var bottom: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        bottom = height - 1
        cells = Array(repeating: Array(repeating: .blank, count: width), count: height)
    }

    mutating func play(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var characters = Substring(text)
        while let character = characters.first {
            characters.removeFirst()
            if character == "\u{1B}" {
                guard let next = characters.first else { return }
                characters.removeFirst()
                if next == "[" {
                    var parameters = ""
                    while let c = characters.first, !c.isLetter { parameters.append(c); characters.removeFirst() }
                    guard let final = characters.first else { return }
                    characters.removeFirst()
                    control(final, parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) })
                } else if next == "E" { y = min(y + 1, height - 1); x = 0 } else if next == "D" { lineFeed() } else if next == "M" {
                    if y == top { scroll(-1) } else { y = max(0, y - 1) }
                }
            } else if character == "\r" {
                x = 0
            } else if character == "\n" {
                lineFeed()
            } else if character == "\u{8}" {
                x = max(0, x - 1)
            } else {
                put(character)
            }
        }
    }

    private mutating func put(_ character: Character) {
        let w = min(2, max(1, TerminalText.width(String(character))))
        guard x < width else { return }
        cells[y][x] = Cell(text: String(character), style: pen)
        if w == 2, x + 1 < width { cells[y][x + 1] = Cell(text: "", style: pen) }
        x += w
    }

    private mutating func lineFeed() {
        if y == bottom { scroll(1) } else { y = min(height - 1, y + 1) }
    }

    private mutating func scroll(_ by: Int) {
        var region = Array(cells[top...bottom])
        let blank = Array(repeating: Cell.blank, count: width)
        for _ in 0..<abs(by) {
            if by > 0 { region.removeFirst(); region.append(blank) } else { region.removeLast(); region.insert(blank, at: 0) }
        }
        cells.replaceSubrange(top...bottom, with: region)
    }

    private mutating func control(_ final: Character, _ parameters: [Int?]) {
        let first = parameters.first.flatMap { $0 } ?? 1
        switch final {
        case "H":
            y = (parameters.first.flatMap { $0 } ?? 1) - 1
            x = (parameters.count > 1 ? parameters[1] ?? 1 : 1) - 1
        case "G": x = first - 1
        case "C": x += first
        case "D": x = max(0, x - first)
        case "B": y = min(height - 1, y + first)
        case "A": y = max(0, y - first)
        case "X": for column in x..<min(width, x + first) { cells[y][column] = .blank }
        case "J": cells = Array(repeating: Array(repeating: .blank, count: width), count: height)
        case "S": scroll(first)
        case "T": scroll(-first)
        case "r":
            top = (parameters.first.flatMap { $0 } ?? 1) - 1
            bottom = (parameters.count > 1 ? parameters[1] ?? height : height) - 1
            (y, x) = (0, 0)
        case "m": sgr(parameters.map { $0 ?? 0 })
        default: break
        }
    }

    private mutating func sgr(_ codes: [Int]) {
        for code in codes {
            switch code {
            case 0: pen = .plain
            case 1: pen.bold = true
            case 2: pen.dim = true
            case 4: pen.underline = true
            case 7: pen.reverse = true
            case 30...37: pen.foreground = Color(rawValue: code - 30)
            case 40...47: pen.background = Color(rawValue: code - 40)
            default: break
            }
        }
    }
}
