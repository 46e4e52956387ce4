import ECGridKit

/// Copying text to the operator's clipboard over SSH with OSC 52
/// (`ESC ] 52 ; c ; <base64> BEL`), which xterm, kitty, WezTerm, iTerm2, foot and Windows
/// Terminal honour, and tmux and screen pass on when told to (`set -g set-clipboard on`).
package enum Clipboard {
    /// Text as it is copied: every scalar that could act on a terminal (controls, bidi
    /// overrides, invisible format characters) is dropped; lines are kept, joined by `\n`, with
    /// no trailing spaces.
    package static func sanitize(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var clean = String(String.UnicodeScalarView(line.unicodeScalars.filter(TerminalText.isSafe)))
            while clean.last == " " { clean.removeLast() }
            return clean
        }.joined(separator: "\n")
    }

    /// The OSC 52 sequence that puts `text` (sanitised first) on the clipboard.
    package static func osc52(_ text: String) -> [UInt8] {
        Array("\u{1B}]52;c;".utf8) + base64(Array(sanitize(text).utf8)) + [0x07]
    }

    /// Standard base64 with padding (RFC 4648 §4).
    package static func base64(_ bytes: [UInt8]) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(triple >> 18 & 63)])
            out.append(alphabet[Int(triple >> 12 & 63)])
            out.append(index + 1 < bytes.count ? alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return out
    }
}

extension ConsoleState {
    /// `y`: the selected user's ID.
    mutating func copySelectedID() -> [Effect] {
        guard let user = selectedUser else { return [] }
        status = StatusLine("Copied user ID \(user.userId) (OSC 52)\(multiplexerNote)", .success)
        return [.copy(text: String(user.userId))]
    }

    /// `Y`: the record or response pane as plain text, as it reads on screen (unwrapped).
    /// A new API key is never in it: that dialog takes every key, and the pane never shows it.
    mutating func copyDetailPane() -> [Effect] {
        let (title, lines) = detailContent()
        guard !lines.isEmpty else {
            status = StatusLine("Y: nothing in the record or response pane yet (Enter reads a record).", .warning)
            return []
        }
        let text = Clipboard.sanitize(lines.map(\.text).joined(separator: "\n"))
        status = StatusLine(
            "Copied the \(title == "User record" ? "user record" : title == "Response" ? "response" : "response and user record") "
                + "(\(lines.count) line\(lines.count == 1 ? "" : "s"), OSC 52)\(multiplexerNote)", .success)
        return [.copy(text: text)]
    }

    /// Said after a copy inside tmux or screen, which drop OSC 52 unless told to pass it on.
    var multiplexerNote: String {
        context.multiplexer.map { "; in \($0) it needs set-clipboard on" } ?? ""
    }
}
