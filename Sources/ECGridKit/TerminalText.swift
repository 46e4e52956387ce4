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
        // What the terminal's C library cannot print (not yet assigned in its tables) is shown
        // as a code point too: one source decides both what is printed and its width.
        return tableWidth(value) != -1
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

    /// Columns of one scalar, as the terminal's C library (glibc's wcwidth, from which
    /// `CharacterWidthTable` is generated) and so curses place it: 0 for combining marks and
    /// invisible characters, 2 for East Asian wide and full-width characters and emoji, 1
    /// otherwise. What the C library will not print counts 0 (it is sanitised before it is shown).
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value < 0x20 ? 0 : 1 }
        guard let width = tableWidth(value) else { return 1 }
        return max(0, Int(width))
    }

    /// The table's width for a code point, nil when it is one column.
    static func tableWidth(_ value: UInt32) -> Int8? {
        let ranges = CharacterWidthTable.ranges
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = ranges[middle]
            if value < range.first {
                high = middle - 1
            } else if value > range.last {
                low = middle + 1
            } else {
                return range.width
            }
        }
        return nil
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

extension TerminalText {
    /// True when the environment's locale uses UTF-8: the one rule for choosing Unicode or ASCII,
    /// in the command line's output and in the console's drawing alike. The locale is `LC_ALL`,
    /// else `LC_CTYPE`, else `LANG`, a variable set but empty counting as unset (the order in
    /// which POSIX resolves the character type); it is UTF-8 when its name says `UTF-8` or
    /// `utf8`, in any case (`C.UTF-8`, `en_US.utf8`).
    public static func localeIsUTF8(_ environment: [String: String]) -> Bool {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let name = locale.lowercased()
        return name.contains("utf-8") || name.contains("utf8")
    }
}
