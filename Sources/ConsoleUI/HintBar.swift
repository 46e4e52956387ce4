import ECGridKit

extension ConsoleState {
    /// The bottom line: the keys that work right now, from the binding table of what has the
    /// keys (a dialog, the filter, else the main view).
    func drawHints(_ grid: inout Grid, _ rect: Rect) {
        grid.fill(x: 0, y: rect.y, count: rect.width, style: Style(reverse: true))
        let hint: String
        if let dialog {
            hint = dialog.mode.hints
        } else if filterEditing {
            hint = " Filter: \(filterField.shown(focused: true, glyphs: glyphs))  " + DialogMode.filter.hints
        } else {
            hint = mainHints(width: rect.width)
        }
        grid.put(hint, x: 0, y: rect.y, style: Style(reverse: true), limit: rect.width)
    }

    /// The main view's hints: each enabled binding's label; a key off in a read-only session says
    /// so; keys that need a selected user are left out without one.
    func mainHints(width: Int) -> String {
        var labels: [(command: Command, text: String)] = KeyBindings.table.compactMap { binding in
            guard let label = binding.hint else { return nil }
            switch binding.disabledReason(self) {
            case nil: return (binding.command, label)
            case .readOnly(let action)? where action.takesMarks: return (binding.command, "\(label) (off: read-only)")
            case let reason? where reason.hidden: return nil
            case _?: return (binding.command, label)
            }
        }
        // Narrow terminals drop the most obvious hints first; help (?) lists them all.
        for command in KeyBindings.hintsDroppedFirst
        where TerminalText.width(labels.map(\.text).joined(separator: "  ")) > width - 2 {
            labels.removeAll { $0.command == command }
        }
        return " " + labels.map(\.text).joined(separator: "  ")
    }
}
