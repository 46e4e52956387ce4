import ECGridKit

/// The user IDs a command was given: arguments, or lines of standard input for `-`.
///
/// Lines: one ID each, ended by `\n`, `\r\n` or `\r` alike (split on bytes, so a Windows line
/// end is not one "character" that hides the break); blank lines and `#` comments ignored;
/// duplicates collapsed (first occurrence kept). Invalid entries are all reported, with their
/// line numbers, so nothing is sent until the whole list is valid.
package struct UserIDList: Equatable, Sendable {
    /// The IDs, in the order given, each once.
    package var ids: [Int] = []
    /// Every entry that is not an ID, with where it stood; nothing may be sent while any is here.
    package var problems: [String] = []

    /// The list from the arguments; `-` reads standard input through `readStandardInput` (nil:
    /// it could not be read).
    package static func parse(arguments: [String], readStandardInput: () -> [UInt8]?) -> UserIDList {
        var list = UserIDList()
        var seen = Set<Int>()
        func add(_ text: String, source: String) {
            let trimmed = String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
            guard trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let id = Int(trimmed), id > 0 else {
                list.problems.append("\(source): '\(trimmed.prefix(40))' is not a user ID (a positive whole number)")
                return
            }
            if seen.insert(id).inserted { list.ids.append(id) }
        }
        for (position, argument) in arguments.enumerated() {
            if argument == "-" {
                guard let input = readStandardInput() else {
                    list.problems.append("standard input could not be read")
                    continue
                }
                for (index, bytes) in lines(input).enumerated() {
                    var line = bytes
                    if let hash = line.firstIndex(of: UInt8(ascii: "#")) { line = Array(line[..<hash]) }
                    let text = String(decoding: line, as: UTF8.self)
                    if text.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                    add(text, source: "line \(index + 1)")
                }
            } else {
                add(argument, source: "argument \(position + 1)")
            }
        }
        if list.ids.isEmpty && list.problems.isEmpty { list.problems.append("no user ID given") }
        return list
    }

    /// The lines of `bytes`, ended by LF, CR LF or CR; a last line without an end counts too.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                lines.append(current)
                current = []
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                current.append(byte)
            }
            index += 1
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
