/// Rows of a region that moved together: what a terminal's scroll region does in a few bytes.
package struct RowShift: Sendable, Equatable {
    /// The first and last row of the scrolling region (inclusive).
    package var top: Int
    package var bottom: Int
    /// How many rows the content moved: positive up (a Down at the bottom of a list), negative down.
    package var by: Int

    package init(top: Int, bottom: Int, by: Int) {
        self.top = top
        self.bottom = bottom
        self.by = by
    }
}

/// Cells to draw on one row, left to right from `x`.
package struct CellRun: Sendable, Equatable {
    package var x: Int
    package var y: Int
    package var cells: [Cell]

    package init(x: Int, y: Int, cells: [Cell]) {
        self.x = x
        self.y = y
        self.cells = cells
    }
}

/// What turns the previous frame into the next: first clear (when nothing can be kept) or
/// scroll a region, then draw the runs of cells that still differ. Finding the region follows
/// ncurses' scroll optimiser (hashmap.c matches rows by their hashes, `_nc_scroll_optimize`
/// scrolls them); drawing only what differs is what Bubble Tea's standard renderer does, line
/// by line there, run by run here.
package struct GridDiff: Sendable, Equatable {
    /// The size of a new screen when nothing of the previous frame is kept (the first frame, a
    /// resize): clear the screen, then draw every run. Nil when the screen is kept.
    package var cleared: Grid.Size?
    /// True when the screen is cleared first.
    package var clear: Bool { cleared != nil }
    /// A region to scroll before the runs are drawn.
    package var shift: RowShift?
    /// The changed cells, after the scroll.
    package var runs: [CellRun]

    /// True when nothing changed.
    package var isEmpty: Bool { !clear && shift == nil && runs.isEmpty }

    /// Cells to draw, over all runs.
    package var cellCount: Int { runs.reduce(0) { $0 + $1.cells.count } }
}

extension Grid {
    /// What changed since `previous` (nil: the first frame): a region of rows that moved up
    /// or down together, when scrolling it costs less than redrawing it, and the runs of cells
    /// that differ once it has moved. A run that starts on the right half of a wide character
    /// starts with its left half.
    /// - Parameter scrolling: false for a terminal that cannot scroll a region: then no shift
    ///   is looked for, and every changed cell is a run.
    package func diff(_ previous: Grid?, scrolling: Bool = true) -> GridDiff {
        guard let previous, previous.width == width, previous.height == height, previous.ascii == ascii else {
            return GridDiff(cleared: size, shift: nil, runs: changedRuns(from: Grid(width: width, height: height, ascii: ascii)))
        }
        let shift = scrolling ? ShiftFinder(old: previous, new: self).best() : nil
        let base = shift.map { previous.scrolled($0) } ?? previous
        return GridDiff(cleared: nil, shift: shift, runs: changedRuns(from: base))
    }

    /// This grid with the rows of `shift`'s region moved as a terminal scrolls them: rows that
    /// come in are blank.
    package func scrolled(_ shift: RowShift) -> Grid {
        var result = self
        let top = max(0, shift.top)
        let bottom = min(height - 1, shift.bottom)
        guard top <= bottom else { return result }
        for y in top...bottom {
            let source = y + shift.by
            for x in 0..<width {
                result[x, y] = source >= top && source <= bottom ? self[x, source] : .blank
            }
        }
        return result
    }

    /// `self` with `diff` applied: what a terminal shows after it (cells that only look the
    /// same may keep their old style). A backend's check, and the tests' proof that a diff
    /// reproduces the frame it came from (`looksLike`).
    package func applying(_ diff: GridDiff) -> Grid {
        var result = diff.cleared.map { Grid(width: $0.width, height: $0.height, ascii: $0.ascii) } ?? self
        if let shift = diff.shift { result = result.scrolled(shift) }
        for run in diff.runs {
            for (offset, cell) in run.cells.enumerated() { result[run.x + offset, run.y] = cell }
        }
        return result
    }

    /// Runs of cells that look different from `base` (`Cell.looksLike`), row by row.
    func changedRuns(from base: Grid) -> [CellRun] {
        var runs: [CellRun] = []
        for y in 0..<height {
            var x = 0
            while x < width {
                guard !self[x, y].looksLike(base[x, y]) else {
                    x += 1
                    continue
                }
                var start = x
                if self[x, y].isContinuation, x > 0 { start -= 1 }
                while x < width, !self[x, y].looksLike(base[x, y]) || self[x, y].isContinuation { x += 1 }
                runs.append(CellRun(x: start, y: y, cells: (start..<x).map { self[$0, y] }))
            }
        }
        return runs
    }
}

extension Grid {
    /// A grid's dimensions and drawing set: what a cleared screen starts from.
    package struct Size: Sendable, Equatable {
        package var width: Int
        package var height: Int
        package var ascii: Bool
    }

    /// This grid's size.
    package var size: Size { Size(width: width, height: height, ascii: ascii) }
}
