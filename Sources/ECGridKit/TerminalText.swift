/// Makes text from outside (user names, server messages) safe to put on a terminal, and
/// measures it in terminal columns.
///
/// Sanitising keeps the text readable and the evidence visible: C0 controls become caret
/// notation (`ESC` → `^[`), DEL becomes `^?`, and C1 controls, bidi overrides and isolates,
/// zero-width and other invisible format characters, line and paragraph separators, and
/// private-use or unassigned code points become `<U+XXXX>`. No byte of the result can start an
/// escape sequence or reorder the line.
public enum TerminalText {
    /// The sanitised text.
    public static func sanitize(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isSafe(scalar) {
                result.append(scalar)
            } else {
                result.append(contentsOf: replacement(for: scalar).unicodeScalars)
            }
        }
        return String(result)
    }

    /// The sanitised text, restricted to ASCII for terminals that are not UTF-8: every other
    /// character becomes `?`.
    public static func sanitizeASCII(_ text: String) -> String {
        let safe = sanitize(text)
        var result = String.UnicodeScalarView()
        for scalar in safe.unicodeScalars {
            if scalar.value < 0x80 {
                result.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark
                || scalar.properties.generalCategory == .enclosingMark
            {
                continue
            } else {
                // Keep the width right: a wide character is two columns of '?'.
                let count = width(of: scalar)
                result.append(contentsOf: String(repeating: "?", count: max(1, count)).unicodeScalars)
            }
        }
        return String(result)
    }

    /// True for a scalar that may go to the terminal as it is.
    public static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || value == 0x7F { return false }
        if value < 0x7F { return true }
        if (0x80...0x9F).contains(value) { return false }
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator, .control, .privateUse, .surrogate, .unassigned:
            return false
        default:
            break
        }
        // Variation selectors are harmless and keep emoji right; tag characters are not.
        if (0xE0000...0xE007F).contains(value) { return false }
        return true
    }

    static func replacement(for scalar: Unicode.Scalar) -> String {
        let value = scalar.value
        if value < 0x20 { return "^" + String(Unicode.Scalar(UInt8(value + 0x40))) }
        if value == 0x7F { return "^?" }
        let hex = String(value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }

    /// Terminal columns the text takes (after sanitising it yourself: controls count as 0 here).
    public static func width(_ text: String) -> Int {
        var total = 0
        for scalar in text.unicodeScalars { total += width(of: scalar) }
        return total
    }

    /// Columns of one scalar: 0 for combining marks and invisible characters, 2 for East Asian
    /// wide and full-width characters and emoji, 1 otherwise.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value < 0x20 ? 0 : 1 }
        if value < 0xA0 { return 0 }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if value == 0x200B || (0x1160...0x11FF).contains(value) { return 0 }
        if (0xFE00...0xFE0F).contains(value) { return 0 }
        if isWide(value) || (properties.isEmojiPresentation && value >= 0x2000) { return 2 }
        return 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x231A...0x231B).contains(v) || (0x2329...0x232A).contains(v)
            || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v) || (0x3400...0x4DBF).contains(v)
            || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v) || (0xA960...0xA97F).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE10...0xFE19).contains(v)
            || (0xFE30...0xFE6F).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v) || (0x1FA70...0x1FAFF).contains(v)
            || (0x20000...0x2FFFD).contains(v) || (0x30000...0x3FFFD).contains(v)
    }

    /// Cuts sanitised text to at most `columns` columns, ending with `…` (or `~` in ASCII) when cut,
    /// never splitting a wide character.
    public static func truncate(_ text: String, to columns: Int, ascii: Bool = false) -> String {
        guard columns > 0 else { return "" }
        if width(text) <= columns { return text }
        let ellipsis = ascii ? "~" : "…"
        var result = String.UnicodeScalarView()
        var used = 0
        for scalar in text.unicodeScalars {
            let w = width(of: scalar)
            if used + w > columns - 1 { break }
            result.append(scalar)
            used += w
        }
        return String(result) + ellipsis
    }

    /// Sanitised, cut and padded with spaces to exactly `columns` columns.
    public static func fit(_ text: String, to columns: Int, ascii: Bool = false, alignRight: Bool = false) -> String {
        let safe = ascii ? sanitizeASCII(text) : sanitize(text)
        let cut = truncate(safe, to: columns, ascii: ascii)
        let padding = String(repeating: " ", count: max(0, columns - width(cut)))
        return alignRight ? padding + cut : cut + padding
    }
}
