import Foundation

/// The user IDs a command was given: arguments, or lines of standard input for `-`.
///
/// Lines: one ID each; blank lines and `#` comments ignored; duplicates collapsed (first
/// occurrence kept). Invalid entries are all reported, with their line numbers, so nothing is
/// sent until the whole list is valid.
struct UserIDList: Equatable {
    var ids: [Int] = []
    var problems: [String] = []

    static func parse(arguments: [String], readStandardInput: () -> String?) -> UserIDList {
        var list = UserIDList()
        var seen = Set<Int>()
        func add(_ text: Substring, source: String) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let id = Int(trimmed), id > 0 else {
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
                for (index, rawLine) in input.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    var line = rawLine
                    if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
                    if line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { continue }
                    add(line, source: "line \(index + 1)")
                }
            } else {
                add(Substring(argument), source: "argument \(position + 1)")
            }
        }
        if list.ids.isEmpty && list.problems.isEmpty { list.problems.append("no user ID given") }
        return list
    }
}
