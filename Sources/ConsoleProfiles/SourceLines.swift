import Foundation

/// Finds where a key or table sits in TOML text, so an error can name the line. TOMLKit
/// reports positions for syntax errors only; for a value of the wrong kind or an unknown key
/// this walks the lines: table headers, and `key = value` lines (dotted keys included).
struct SourceLines {
    private let entries: [(line: Int, path: [String], isHeader: Bool)]

    init(_ text: String) {
        var entries: [(Int, [String], Bool)] = []
        var table: [String] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("["), let close = line.lastIndex(of: "]") {
                let inner = line.dropFirst(line.hasPrefix("[[") ? 2 : 1)[..<close]
                table = Self.split(String(inner).trimmingCharacters(in: CharacterSet(charactersIn: "[] ")))
                entries.append((index + 1, table, true))
            } else if !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") {
                entries.append((index + 1, table + Self.split(String(line[..<equals])), false))
            }
        }
        self.entries = entries
    }

    /// The line of `path` (a key or a table), or nil.
    func line(of path: [String]) -> Int? {
        entries.first { $0.path == path }?.line
    }

    /// The line of `path`, else of the nearest enclosing table that appears.
    func nearestLine(of path: [String]) -> Int? {
        var path = path
        while !path.isEmpty {
            if let line = line(of: path) { return line }
            path.removeLast()
        }
        return nil
    }

    /// Splits a dotted key, unquoting its parts: `profiles."eu prod".read_only`.
    static func split(_ key: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for character in key {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }
}
