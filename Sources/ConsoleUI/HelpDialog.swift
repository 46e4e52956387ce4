import Foundation

/// The help screen (`?`): every binding of the main table with its state, the confirmation's
/// keys, and how copying works. Scrolled and closed by its own binding table.
extension ConsoleState {
    /// The help dialog's scroll after `key`, or nil when the key closes it.
    static func helpScroll(after key: Key, from scroll: Int) -> Int? {
        switch DialogMode.help.command(for: key) {
        case .cancel?: return nil
        case .scroll?:
            switch key {
            case .down, .character("j"): return scroll + 1
            case .up, .character("k"): return max(0, scroll - 1)
            case .pageDown: return scroll + 10
            case .pageUp: return max(0, scroll - 10)
            default: return scroll
            }
        default: return scroll
        }
    }

    /// The help screen's lines.
    func helpLines() -> [StyledLine] {
        let textWidth = min(76, width - 4) - 4 - 14
        func entry(_ keys: String, _ help: String, _ style: Style) -> [StyledLine] {
            Self.wrap(help, width: textWidth).enumerated().map { index, part in
                StyledLine((index == 0 ? keys : "").padding(toLength: 14, withPad: " ", startingAt: 0) + part, style)
            }
        }
        var lines = [StyledLine("Keys", .bold)]
        for binding in KeyBindings.table {
            var help = binding.help
            var style = Style.plain
            if let reason = binding.disabledReason(self), !reason.hidden {
                help += " (disabled: \(reason))"
                style = .dim
            }
            lines += entry(binding.keyLabel, help, style)
        }
        lines.append(StyledLine(""))
        lines.append(StyledLine("In a confirmation (reset, new key, terminate)", .bold))
        for (key, help) in KeyBindings.dialogHelp { lines += entry(key, help, .plain) }
        lines.append(StyledLine(""))
        lines.append(StyledLine("A reset revokes every bearer (JWT) session of the user; API keys keep working.", .dim))
        lines.append(StyledLine(""))
        lines += entry("Copy", "y and Y copy by OSC 52 (ESC ] 52): the terminal puts the text on your local clipboard, "
            + "over SSH too. A new API key is never copied.", .dim)
        if let multiplexer = context.multiplexer {
            lines += entry("", "Inside \(multiplexer) the copy reaches your clipboard only with `set -g set-clipboard on` "
                + "(tmux) or the equivalent in screen's config.", .warning)
        }
        return lines
    }
}
