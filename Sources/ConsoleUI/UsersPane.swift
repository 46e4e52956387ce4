import ECGridKit

extension ConsoleState {
    /// Column widths of the users pane for an inner width.
    package static func userColumns(_ inner: Int) -> [Int] {
        // pointer+mark, ID, login, name, net/mbx, AuthLevel, status, sessions
        let fixed = 2 + 6 + 9 + 12 + 13 + 4 + 7
        let flexible = max(10, inner - fixed)
        let login = flexible * 2 / 5
        return [2, 6, login, flexible - login, 9, 12, 13, 4]
    }

    func drawUsers(_ grid: inout Grid, _ rect: Rect) {
        let shownFrom = visible.isEmpty ? 0 : scroll + 1
        let shownTo = min(visible.count, scroll + userRows)
        let footer = visible.isEmpty ? nil : "\(shownFrom)\(glyphs.range)\(shownTo) of \(Self.grouped(visible.count))"
        drawBox(&grid, rect, title: "Users", focused: focus == .users, footer: footer)
        let inner = rect.width - 2
        let columns = Self.userColumns(inner)
        let x0 = rect.x + 1
        func row(_ cells: [String], y: Int, style: Style, rightAligned: Set<Int> = [1, 7]) {
            var x = x0
            for (index, cell) in cells.enumerated() {
                let text = TerminalText.fit(cell, to: columns[index], ascii: grid.ascii, alignRight: rightAligned.contains(index))
                grid.put(text, x: x, y: y, style: style, limit: columns[index])
                x += columns[index] + (index == 0 ? 0 : 1)
            }
        }
        row(["", "ID", "LOGIN", "NAME", "NET/MBX", "AUTHLEVEL", "STATUS", "SESS"], y: rect.y + 1, style: .bold)
        let firstRow = rect.y + 2
        let rows = userRows
        if visible.isEmpty {
            let message: String
            switch load {
            case .failed(let failure): message = "Could not load users: \(failure.explanation)"
            case .loading where users.isEmpty: message = "Loading users from \(context.host)…"
            default: message = filter.isEmpty ? "No users." : "No loaded user matches \"\(filter)\". Esc clears the filter; f finds on the server."
            }
            grid.put(message, x: x0 + 1, y: firstRow, style: load == .done || !filter.isEmpty ? .plain : .warning, limit: inner - 2)
            return
        }
        for offset in 0..<rows {
            let index = scroll + offset
            guard index < visible.count else { break }
            let user = users[visible[index]]
            let selected = index == selection
            let mark = (selected ? glyphs.pointer : " ") + (marked.contains(user.userId) ? glyphs.mark : " ")
            let cells = [mark, String(user.userId), user.login, user.displayName, user.place,
                         user.authLevel?.rawValue ?? "-", user.status?.rawValue ?? "-", user.openSessions.map(String.init) ?? "-"]
            let y = firstRow + offset
            let style: Style = staleRows || user.status == .terminated || user.status == .suspended ? .dim : .plain
            row(cells, y: y, style: style)
            // The pointer and ID of the selected row stand out; the rest of the row is left
            // as it is, so a move rewrites two short runs of cells, not two whole rows.
            if selected { grid.restyle(x: x0, y: y, count: columns[0] + columns[1], style: .selected) }
        }
    }
}
