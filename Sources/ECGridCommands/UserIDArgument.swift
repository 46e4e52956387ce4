import ArgumentParser
import ECGridKit

/// The one user ID a command takes (`users show`, `rotate-key`, `terminate`), read like the
/// IDs of `reset`: anything the parser does not know is taken as the ID, so `abc` and `-1` are
/// both refused as bad input (exit 2), while an unknown `--option` is a usage error (64).
struct UserIDArgument: ParsableArguments {
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The user's ID.", valueName: "id"))
    var values: [String] = []

    func validate() throws {
        if let option = values.first(where: { $0.hasPrefix("--") }) { throw ValidationError("Unknown option '\(option)'.") }
        guard values.count == 1 else { throw ValidationError(values.isEmpty ? "Give the user's ID." : "Give one user ID.") }
    }

    /// The ID; refused (exit 2, `{"error": …}` with --json) when it is not a positive whole number.
    func id(json: Bool) throws -> Int {
        let list = UserIDList.parse(arguments: values) { nil }
        guard list.problems.isEmpty, values != ["-"], let id = list.ids.first else {
            let problem = list.problems.first ?? "'-' is not a user ID here"
            throw refuse("\(problem); nothing was sent.", json: json, kind: "invalidInput")
        }
        return id
    }
}
