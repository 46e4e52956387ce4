import ConsoleUI
import ECGridKit
import Testing

/// A list screen like the users pane: a header row, a bordered band of item rows with the
/// pointer row highlighted, and a footer, `width` columns wide.
private func listScreen(first: Int, pointer: Int, rows: Int = 8, width: Int = 40, top: Int = 2, height: Int = 14) -> Grid {
    var grid = Grid(width: width, height: height)
    grid.put("header", x: 0, y: 0, style: .header)
    for offset in 0..<rows {
        let y = top + offset
        let item = first + offset
        grid.put("│", x: 0, y: y)
        grid.put("│", x: width - 1, y: y)
        grid.put("\(item == pointer ? ">" : " ") \(item) \(name(item))", x: 1, y: y)
        if item == pointer { grid.restyle(x: 1, y: y, count: 8, style: .selected) }
    }
    grid.put("footer \(first + 1)-\(first + rows)", x: 0, y: height - 1, style: .dim)
    return grid
}

/// A name unlike its neighbours', as real rows are.
private func name(_ item: Int) -> String {
    let words = ["alder", "birch", "cedar", "dogwood", "elm", "fir", "ginkgo", "hazel", "ironwood", "juniper", "kapok"]
    return "\(words[item % words.count]).\(words[(item * 7 + 3) % words.count]) \(String(repeating: "x", count: item % 5))"
}

@Suite("Grid.diff: changed runs and rows that moved")
struct GridDiffTests {
    @Test("one row up in a band: the band scrolls, and only the old pointer's highlight and the new row are drawn")
    func shiftUpByOne() throws {
        let before = listScreen(first: 0, pointer: 7)
        let after = listScreen(first: 1, pointer: 8)
        let diff = after.diff(before)
        let shift = try #require(diff.shift)
        // The band's top row, one up; the region ends where the fewest cells are left to draw.
        #expect(shift.top == 2 && shift.by == 1 && (8...9).contains(shift.bottom), "\(shift)")
        #expect(!diff.clear)
        let rows = Set(diff.runs.map(\.y))
        #expect(rows == [8, 9, 13], "runs on rows \(rows.sorted())")
        #expect(before.applying(diff) == after)
        // Without the scroll, every row of the band would be drawn again.
        let unscrolled = after.cellsDiffering(from: before)
        #expect(diff.cellCount * 2 < unscrolled)
    }

    @Test("one row down (Up at the top of the list): the band scrolls the other way")
    func shiftDownByOne() throws {
        let before = listScreen(first: 5, pointer: 5)
        let after = listScreen(first: 4, pointer: 4)
        let diff = after.diff(before)
        let shift = try #require(diff.shift)
        #expect(shift.bottom == 9 && shift.by == -1 && (2...3).contains(shift.top), "\(shift)")
        #expect(Set(diff.runs.map(\.y)) == [2, 3, 13])
        #expect(before.applying(diff) == after)
    }

    @Test("a partial band: rows above and below stay, a page of k rows moves by k", arguments: [1, 2, 4])
    func partialBand(by: Int) throws {
        let before = listScreen(first: 10, pointer: 19, rows: 10, width: 50, top: 3, height: 18)
        let after = listScreen(first: 10 + by, pointer: 19 + by, rows: 10, width: 50, top: 3, height: 18)
        let diff = after.diff(before)
        let shift = try #require(diff.shift)
        #expect(shift.by == by)
        #expect(shift.top == 3 && shift.bottom <= 12, "\(shift)")
        #expect(before.applying(diff) == after)
        // The header row (0), the gap (1, 2) and the rows below the band are never touched.
        #expect(diff.runs.allSatisfy { ($0.y >= 3 && $0.y <= 12) || $0.y == 17 })
    }

    @Test("no false shift: text changed in place, blank rows, one row that equals another")
    func noFalseShift() {
        var before = listScreen(first: 0, pointer: 3)
        var after = before
        after.put("changed", x: 2, y: 4)
        after.put("changed", x: 2, y: 6)
        #expect(after.diff(before).shift == nil)
        // Blank rows everywhere but one line of text that moves one row: drawing it is cheaper.
        before = Grid(width: 40, height: 10)
        after = Grid(width: 40, height: 10)
        before.put("x", x: 3, y: 4)
        after.put("x", x: 3, y: 5)
        #expect(after.diff(before).shift == nil)
        #expect(before.applying(after.diff(before)) == after)
        // The selection moves down within the band (no scroll): two rows change in place.
        let moved = listScreen(first: 0, pointer: 4).diff(listScreen(first: 0, pointer: 3))
        #expect(moved.shift == nil)
        #expect(Set(moved.runs.map(\.y)) == [5, 6])
        // Identical frames: nothing at all.
        #expect(listScreen(first: 0, pointer: 3).diff(listScreen(first: 0, pointer: 3)).isEmpty)
    }

    @Test("the first frame, and a frame of another size, clear and draw everything")
    func clearWhenNothingCanBeKept() {
        let grid = listScreen(first: 0, pointer: 0)
        let first = grid.diff(nil)
        #expect(first.clear && first.shift == nil)
        #expect(Grid(width: 40, height: 14).applying(first).looksLike(grid))
        let resized = listScreen(first: 0, pointer: 0, width: 50)
        #expect(resized.diff(grid).clear)
    }

    @Test("a run that starts on the right half of a wide character starts with its left half")
    func wideCharacters() throws {
        var before = Grid(width: 10, height: 1)
        before.put("ab中d", x: 0, y: 0)
        var after = before
        after[3, 0] = Cell(text: "", style: .bold)
        after[2, 0] = Cell(text: "中", style: .bold)
        let diff = after.diff(before)
        let run = try #require(diff.runs.first)
        #expect(run.x == 2 && run.cells.first?.text == "中")
        #expect(before.applying(diff) == after)
    }

    @Test("a space in a style that shows nothing on it (dim, bold, a foreground) is not drawn again; reverse is")
    func invisibleStylesOnSpaces() {
        var before = Grid(width: 20, height: 1)
        before.put("ab    cd", x: 0, y: 0)
        var after = Grid(width: 20, height: 1)
        after.put("ab    cd", x: 0, y: 0, style: .dim)
        let diff = after.diff(before)
        #expect(diff.runs.map(\.x) == [0, 6], "the letters change style, the spaces between and after do not")
        #expect(before.applying(diff).looksLike(after) && before.applying(diff) != after)
        after.restyle(x: 2, y: 0, count: 1, style: .selected)
        #expect(after.diff(before).runs.contains { $0.x <= 2 && $0.x + $0.cells.count > 2 })
    }

    @Test("random frames and edits: applying the diff always gives the new frame")
    func randomFramesRoundTrip() {
        var random = SeededRandom(seed: 13)
        for _ in 0..<300 {
            let width = 5 + random.below(20)
            let height = 3 + random.below(12)
            var before = Grid(width: width, height: height)
            for y in 0..<height where random.below(3) > 0 {
                before.put(String(repeating: "abc│ ", count: 1 + random.below(4)), x: random.below(3), y: y)
            }
            var after = before
            if random.below(2) == 0 {
                let top = random.below(height)
                let bottom = min(height - 1, top + random.below(height))
                let by = (1 + random.below(3)) * (random.below(2) == 0 ? 1 : -1)
                after = before.scrolled(RowShift(top: top, bottom: bottom, by: by))
            }
            for _ in 0..<random.below(4) {
                after.put(["x", "中", "yy"][random.below(3)], x: random.below(width), y: random.below(height),
                          style: random.below(2) == 0 ? .plain : .selected)
            }
            #expect(before.applying(after.diff(before)).looksLike(after))
        }
    }
}

extension Grid {
    /// Cells that differ from `other` in place.
    func cellsDiffering(from other: Grid) -> Int {
        var count = 0
        for y in 0..<height { for x in 0..<width where self[x, y] != other[x, y] { count += 1 } }
        return count
    }
}

