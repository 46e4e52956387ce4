@testable import ConsoleTerminal
import ConsoleUI
import ECGridKit
import Testing

@Suite("FrameEncoder: the bytes of a frame, played on a terminal, give the frame")
struct FrameEncoderTests {
    static let abilitySets = [
        TerminalAbilities(colors: true, scrollRegion: true, scrollByCount: true, columnAbsolute: true, eraseCharacters: true,
                          lineFeedDown: true),
        // xterm where the tty turns LF into CR LF.
        TerminalAbilities(colors: true, scrollRegion: true, scrollByCount: true, columnAbsolute: true, eraseCharacters: true),
        // vt100: no SU/SD, no CHA, no ECH, no colours.
        TerminalAbilities(colors: false, scrollRegion: true, scrollByCount: false, columnAbsolute: false, eraseCharacters: false),
        // ansi, sun: no scroll region at all: no region may be assumed scrolled.
        TerminalAbilities(colors: true, scrollRegion: false, scrollByCount: false, columnAbsolute: true, eraseCharacters: true),
    ]

    @Test("random frames, scrolls and edits, on an xterm, a vt100 and a terminal without a scroll region", arguments: abilitySets)
    func randomFrames(abilities: TerminalAbilities) {
        var random = SeededRandom(seed: 99)
        var encoder = FrameEncoder(abilities: abilities)
        let width = 30
        let height = 12
        var terminal = VTScreen(width: width, height: height)
        var previous: Grid?
        var frame = Grid(width: width, height: height)
        let styles: [Style] = [.plain, .dim, .selected, .bold, .title, .header]
        for step in 0..<200 {
            if random.below(3) == 0 {
                let top = random.below(height - 2)
                let bottom = min(height - 1, top + 2 + random.below(height))
                frame = frame.scrolled(RowShift(top: top, bottom: bottom, by: (1 + random.below(2)) * (random.below(2) == 0 ? 1 : -1)))
            }
            for _ in 0..<(1 + random.below(6)) {
                let text = ["abc", "  ", "中文", "│x│", "zoë", "      ", "========", "ab      cd"][random.below(8)]
                frame.put(text, x: random.below(width), y: random.below(height - 1), style: styles[random.below(styles.count)])
            }
            let bytes = encoder.encode(frame, after: previous)
            terminal.play(bytes)
            previous = frame
            let expected = abilities.colors ? frame : colourless(frame)
            let wrong = (0..<height).flatMap { y in
                (0..<width).filter { x in !(y == height - 1 && x == width - 1) && !terminal.cells[y][x].looksLike(expected[x, y]) }
                    .map { (x: $0, y: y) }
            }
            if let first = wrong.first {
                let row = first.y
                Issue.record("shown \((0..<width).map { terminal.cells[row][$0].text.isEmpty ? "_" : terminal.cells[row][$0].text }.joined(separator: "|"))\nframe \((0..<width).map { frame[$0, row].text.isEmpty ? "_" : frame[$0, row].text }.joined(separator: "|"))")
                Issue.record("step \(step): \(wrong.count) cells wrong, first \(first): \(terminal.cells[first.y][first.x].text.debugDescription) for \(expected[first.x, first.y].text.debugDescription); bytes \(String(decoding: bytes, as: UTF8.self).debugDescription)\n\(frame.text)")
                return
            }
        }
    }

    @Test("a one-row scroll of a list is the scroll, the old pointer's cells and the new row")
    func oneRowScroll() {
        var before = Grid(width: 40, height: 10)
        var after = Grid(width: 40, height: 10)
        let names = ["alder.birch", "cedar", "dogwood.elm.fir", "ginkgo", "hazel.iron", "juniper.kapok", "larch", "maple.oak",
                     "pine.quince"]
        for row in 0..<8 {
            before.put("│ \(1000 + row) \(names[row])", x: 0, y: 1 + row, style: .plain)
            after.put("│ \(1001 + row) \(names[row + 1])", x: 0, y: 1 + row, style: .plain)
        }
        before.restyle(x: 2, y: 8, count: 4, style: .selected)
        after.restyle(x: 2, y: 8, count: 4, style: .selected)
        var encoder = FrameEncoder(abilities: Self.abilitySets[0])
        _ = encoder.encode(before.diff(nil), of: before)
        let bytes = encoder.encode(after.diff(before), of: after)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("\u{1B}[2;9r\u{1B}[S\u{1B}[r"), "\(text.debugDescription)")
        #expect(bytes.count < 60, "\(bytes.count) bytes: \(text.debugDescription)")
    }

    @Test("rows below are reached by LF when the tty leaves LF alone, and by other moves when it does not")
    func lineFeeds() {
        var before = Grid(width: 40, height: 6)
        var after = Grid(width: 40, height: 6)
        for row in 0..<6 {
            before.put("│ id \(row) old", x: 0, y: row)
            after.put("│ id \(row) new", x: 0, y: row)
        }
        for (abilities, expectLineFeeds) in [(Self.abilitySets[0], true), (Self.abilitySets[1], false)] {
            var encoder = FrameEncoder(abilities: abilities)
            var terminal = VTScreen(width: 40, height: 6)
            terminal.play(encoder.encode(before.diff(nil), of: before))
            let bytes = encoder.encode(after.diff(before), of: after)
            terminal.play(bytes)
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.filter { $0 == "\n" }.count == (expectLineFeeds ? 5 : 0), "\(text.debugDescription)")
            #expect(terminal.cells.map { $0.map(\.text).joined() } == (0..<6).map { y in (0..<40).map { after[$0, y].text }.joined() })
        }
    }

    @Test("after an emoji (terminals draw it one or two columns wide) the next move sets the column; after CJK a gap may be written through")
    func columnAfterEmoji() {
        var encoder = FrameEncoder(abilities: Self.abilitySets[0])
        var emoji = Grid(width: 20, height: 3)
        emoji.put("❤️", x: 0, y: 0)
        emoji.put("z", x: 3, y: 0)
        let afterEmoji = String(decoding: encoder.encode(emoji.diff(nil), of: emoji), as: UTF8.self)
        #expect(afterEmoji.contains("❤️\u{1B}[4Gz"), "\(afterEmoji.debugDescription)")
        var wide = Grid(width: 20, height: 3)
        wide.put("中", x: 0, y: 0)
        wide.put("z", x: 3, y: 0)
        var other = FrameEncoder(abilities: Self.abilitySets[0])
        let afterWide = String(decoding: other.encode(wide.diff(nil), of: wide), as: UTF8.self)
        #expect(afterWide.contains("中 z"), "\(afterWide.debugDescription)")
        #expect(FrameEncoder.widthAgreed("a") && FrameEncoder.widthAgreed("é") && FrameEncoder.widthAgreed("中") && FrameEncoder.widthAgreed("│")
                && FrameEncoder.widthAgreed("▶") && FrameEncoder.widthAgreed("✓"))
        #expect(!FrameEncoder.widthAgreed("🚀") && !FrameEncoder.widthAgreed("❤️") && !FrameEncoder.widthAgreed("e\u{301}"))
    }

    @Test("the screen's last cell is never written, and a scroll that brings it up draws it there")
    func lastCell() {
        for abilities in Self.abilitySets where abilities.scrollRegion {
            var encoder = FrameEncoder(abilities: abilities)
            var terminal = VTScreen(width: 10, height: 4)
            var first = Grid(width: 10, height: 4)
            // Rows unlike each other, so scrolling them is cheaper than writing them again.
            for (row, letter) in ["a", "b", "c", "d"].enumerated() { first.put(String(repeating: letter, count: 9) + "X", x: 0, y: row) }
            let firstBytes = encoder.encode(first, after: nil)
            terminal.play(firstBytes)
            #expect(String(decoding: firstBytes, as: UTF8.self).filter { $0 == "X" }.count == 3)
            let second = first.scrolled(RowShift(top: 0, bottom: 3, by: 1))
            let secondBytes = String(decoding: encoder.encode(second, after: first), as: UTF8.self)
            terminal.play(Array(secondBytes.utf8))
            #expect(secondBytes.hasPrefix("\u{1B}[1;4r"), "\(secondBytes.debugDescription)")
            #expect(terminal.cells[2].map(\.text).joined() == "dddddddddX", "\(abilities.testDescription)")
        }
        // A wide character over the last cell is left alone too.
        var wide = Grid(width: 10, height: 2)
        wide.put("abcdefgh中", x: 0, y: 1)
        var encoder = FrameEncoder(abilities: Self.abilitySets[0])
        let bytes = String(decoding: encoder.encode(wide, after: nil), as: UTF8.self)
        #expect(bytes.contains("abcdefgh") && !bytes.contains("中"))
    }

    private func colourless(_ grid: Grid) -> Grid {
        var result = grid
        for y in 0..<grid.height {
            for x in 0..<grid.width { result[x, y].style = FrameEncoder.colourless(grid[x, y].style) }
        }
        return result
    }
}


extension TerminalAbilities: CustomTestStringConvertible {
    public var testDescription: String {
        !scrollRegion ? "ansi (no scroll region)" : !colors ? "vt100" : lineFeedDown ? "xterm (LF down)" : "xterm"
    }
}
