import ECGridKit

extension ConsoleState {
    func drawBox(_ grid: inout Grid, _ rect: Rect, title: String, focused: Bool, footer: String? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let border: Style = focused ? .plain : .dim
        let right = rect.x + rect.width - 1
        let bottom = rect.y + rect.height - 1
        for x in rect.x...right {
            grid.put(glyphs.horizontal, x: x, y: rect.y, style: border)
            grid.put(glyphs.horizontal, x: x, y: bottom, style: border)
        }
        for y in rect.y...bottom {
            grid.put(glyphs.vertical, x: rect.x, y: y, style: border)
            grid.put(glyphs.vertical, x: right, y: y, style: border)
        }
        grid.put(glyphs.topLeft, x: rect.x, y: rect.y, style: border)
        grid.put(glyphs.topRight, x: right, y: rect.y, style: border)
        grid.put(glyphs.bottomLeft, x: rect.x, y: bottom, style: border)
        grid.put(glyphs.bottomRight, x: right, y: bottom, style: border)
        let heading = focused ? " \(glyphs.pointer) \(title) " : " \(title) "
        grid.put(heading, x: rect.x + 2, y: rect.y, style: focused ? .title : .bold, limit: rect.width - 4)
        if let footer {
            let w = TerminalText.width(footer) + 2
            grid.put(" \(footer) ", x: max(rect.x + 2, right - w - 1), y: bottom, style: .plain, limit: rect.width - 4)
        }
    }

    /// Draws a centred box with lines and returns its rectangle.
    @discardableResult
    func drawPanel(_ grid: inout Grid, title: String, lines: [StyledLine], width wanted: Int, scroll: Int = 0) -> Rect {
        let boxWidth = min(wanted, width - 4)
        let wrapped = lines.flatMap { line in Self.wrap(line.text, width: boxWidth - 4).map { StyledLine($0, line.style) } }
        let boxHeight = min(height - 4, wrapped.count + 2)
        let rect = Rect(x: (width - boxWidth) / 2, y: max(1, (height - boxHeight) / 2), width: boxWidth, height: boxHeight)
        for y in rect.y..<(rect.y + rect.height) { grid.fill(x: rect.x, y: y, count: rect.width, style: .plain) }
        drawBox(&grid, rect, title: title, focused: true)
        let start = max(0, min(scroll, wrapped.count - (boxHeight - 2)))
        for (offset, line) in wrapped.dropFirst(start).prefix(boxHeight - 2).enumerated() {
            grid.put(line.text, x: rect.x + 2, y: rect.y + 1 + offset, style: line.style, limit: boxWidth - 4)
        }
        return rect
    }
}
