/// Finds the region of rows that moved between two frames of the same size, as a terminal's
/// scroll would move them, and says whether scrolling it saves more than it costs.
///
/// For each distance k (up and down) it takes each band of consecutive rows that equal the old
/// frame's rows k away and have changed in place, then widens the region on either side as far
/// as that lowers the cells left to draw (the row the pointer left, the row that comes in). The
/// region that saves the most cells wins, if it saves more than a scroll costs.
struct ShiftFinder {
    let old: Grid
    let new: Grid
    private let oldRows: [Int]
    private let newRows: [Int]
    /// About what a scroll costs on the wire (set the region, move, scroll, reset), in cells.
    static let scrollCost = 24

    init(old: Grid, new: Grid) {
        self.old = old
        self.new = new
        oldRows = (0..<old.height).map { old.rowHash($0) }
        newRows = (0..<new.height).map { new.rowHash($0) }
    }

    /// The shift that saves the most cells, or nil when none is worth a scroll.
    func best() -> RowShift? {
        var best: (shift: RowShift, saving: Int)?
        let height = new.height
        guard height > 1 else { return nil }
        for distance in 1..<height {
            for by in [distance, -distance] {
                for band in bands(by: by) {
                    let candidate = widen(band, by: by)
                    if candidate.saving > (best?.saving ?? Self.scrollCost) { best = candidate }
                }
            }
        }
        return best?.shift
    }

    /// Maximal runs of new rows y with new[y] == old[y + by] and at least one such row changed
    /// in place.
    func bands(by: Int) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        var y = max(0, -by)
        let end = min(new.height, new.height - by)
        while y < end {
            guard moved(y, by: by) else {
                y += 1
                continue
            }
            let start = y
            var changed = false
            while y < end, moved(y, by: by) {
                if newRows[y] != oldRows[y] || !sameRow(new, y, old, y) { changed = true }
                y += 1
            }
            if changed { result.append(start...(y - 1)) }
        }
        return result
    }

    private func moved(_ y: Int, by: Int) -> Bool {
        newRows[y] == oldRows[y + by] && sameRow(new, y, old, y + by)
    }

    /// The region around `band` that saves the most: the rows that come in (below for a shift
    /// up, above for a shift down) and the rows on the other side both count.
    func widen(_ band: ClosedRange<Int>, by: Int) -> (shift: RowShift, saving: Int) {
        let k = abs(by)
        // Cells drawn without a scroll over the band: all that differ in place.
        var saving = band.reduce(0) { $0 + cost(new, $1, old, $1) }
        var top: Int
        var bottom: Int
        if by > 0 {
            (top, bottom) = (band.lowerBound, band.upperBound + k)
            // Rows the scroll leaves blank: band.upperBound+1 ... bottom.
            saving -= (band.upperBound + 1...bottom).reduce(0) { $0 + comingIn($1) }
            let grown = growVacated(from: bottom, by: by)
            bottom = grown.edge
            saving += grown.gain
            let kept = growKept(from: top, by: by)
            top = kept.edge
            saving += kept.gain
        } else {
            (top, bottom) = (band.lowerBound - k, band.upperBound)
            saving -= (top...(band.lowerBound - 1)).reduce(0) { $0 + comingIn($1) }
            let grown = growVacated(from: top, by: by)
            top = grown.edge
            saving += grown.gain
            let kept = growKept(from: bottom, by: by)
            bottom = kept.edge
            saving += kept.gain
        }
        return (RowShift(top: top, bottom: bottom, by: by), saving)
    }

    /// Moves the edge on the side rows come in from, one row at a time, and keeps the place
    /// where the cells saved are most: the row at the new edge comes in blank, and the row `k`
    /// inside it now gets the old row from the edge instead of blank.
    private func growVacated(from edge: Int, by: Int) -> (edge: Int, gain: Int) {
        let step = by > 0 ? 1 : -1
        var best = (edge: edge, gain: 0)
        var gain = 0
        var next = edge + step
        while next >= 0, next < new.height {
            let inner = next - by
            gain += costOverPlace(inner, source: nil) - cost(new, inner, old, next)
            gain += costOverPlace(next, source: next) - costOverPlace(next, source: nil)
            if gain > best.gain { best = (next, gain) }
            next += step
        }
        return best
    }

    /// Moves the other edge outwards while rows there cost less from the old row `by` away
    /// than from the old row in place.
    private func growKept(from edge: Int, by: Int) -> (edge: Int, gain: Int) {
        let step = by > 0 ? -1 : 1
        var best = (edge: edge, gain: 0)
        var gain = 0
        var next = edge + step
        while next >= 0, next < new.height, next + by >= 0, next + by < new.height {
            gain += cost(new, next, old, next) - cost(new, next, old, next + by)
            if gain > best.gain { best = (next, gain) }
            next += step
        }
        return best
    }

    /// What a row the scroll leaves blank costs more than the row in place would.
    private func comingIn(_ y: Int) -> Int {
        costOverPlace(y, source: nil) - costOverPlace(y, source: y)
    }

    /// Cells of new row `y` that differ from old row `source` (nil: a blank row).
    private func costOverPlace(_ y: Int, source: Int?) -> Int {
        guard let source else { return (0..<new.width).reduce(0) { $0 + (new[$1, y] == .blank ? 0 : 1) } }
        return cost(new, y, old, source)
    }

    private func cost(_ a: Grid, _ y: Int, _ b: Grid, _ z: Int) -> Int {
        (0..<a.width).reduce(0) { $0 + (a[$1, y] == b[$1, z] ? 0 : 1) }
    }

    private func sameRow(_ a: Grid, _ y: Int, _ b: Grid, _ z: Int) -> Bool {
        (0..<a.width).allSatisfy { a[$0, y] == b[$0, z] }
    }
}

extension Grid {
    /// A hash of one row's cells, to find rows that moved without comparing every pair.
    func rowHash(_ y: Int) -> Int {
        var hasher = Hasher()
        for x in 0..<width { hasher.combine(self[x, y]) }
        return hasher.finalize()
    }
}
