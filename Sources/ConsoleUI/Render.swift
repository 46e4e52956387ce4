import ECGridKit

extension ConsoleState {
    /// Draws the whole screen into a grid of `width` × `height` cells.
    package func render() -> Grid {
        var grid = Grid(width: width, height: height, ascii: glyphs.isASCII)
        guard Layout.fits(width: width, height: height) else {
            drawTooSmall(&grid)
            return grid
        }
        let layout = Layout(width: width, height: height)
        drawHeader(&grid, layout.header)
        drawUsers(&grid, layout.users)
        drawDetail(&grid, layout.detail)
        drawHistory(&grid, layout.history)
        drawHints(&grid, layout.hints)
        if let dialog { drawDialog(&grid, dialog) }
        return grid
    }

    func drawTooSmall(_ grid: inout Grid) {
        var lines = ["Terminal too small: \(width)×\(height).", "ecgrid-console needs at least \(Layout.minimumWidth)×\(Layout.minimumHeight).",
                     "Enlarge the window, or press q to quit."]
        // No key reaches what is not drawn: say what waits for a larger window.
        if dialog == .quitConfirm {
            lines[2] = "An action is in flight: enlarge the window to answer \"Quit?\"."
        } else if dialog != nil {
            lines.append("A dialog is open; it takes keys again once the window is large enough.")
        }
        let top = max(0, (height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let x = max(0, (width - TerminalText.width(line)) / 2)
            grid.put(line, x: x, y: top + offset, style: offset == 0 ? .warning : .plain)
        }
    }

    // MARK: Dialogs

    /// Draws the open dialog, each from its own component.
    func drawDialog(_ grid: inout Grid, _ dialog: Dialog) {
        switch dialog {
        case .help(let scroll):
            drawPanel(&grid, title: "Help", lines: helpLines(), width: 76, scroll: scroll)
        case .confirmAction(let confirm):
            let content = confirmationContent(confirm)
            drawPanel(&grid, title: content.title, lines: content.lines, width: ConfirmAction.width)
        case .find(let find):
            drawPanel(&grid, title: "Find", lines: find.lines(glyphs), width: 60)
        case .newKey(let shown):
            let content = shown.content(glyphs)
            drawPanel(&grid, title: content.title, lines: content.lines, width: 76)
        case .login(let login):
            drawPanel(&grid, title: "Log in again", lines: login.lines(glyphs), width: 70)
        case .quitConfirm:
            drawPanel(&grid, title: QuitDialog.title, lines: QuitDialog.lines, width: 60)
        }
    }
}
