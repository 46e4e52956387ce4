import ConsoleProfiles
import ArgumentParser
import ECGridKit
import Foundation
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Where output goes and how it is made safe: the one path to standard output and standard
/// error. Every line printed is sanitised (names, status, errorCode, message, data and a new
/// API key alike, whichever command prints them), JSON escapes what could disturb a terminal,
/// and ASCII is used when the locale is not UTF-8.
enum Output {
    /// True when the locale is UTF-8 (`TerminalText.localeIsUTF8`, the console's rule too).
    static let utf8 = TerminalText.localeIsUTF8(ProcessInfo.processInfo.environment)

    /// Text from outside, safe for this terminal.
    static func safe(_ text: String) -> String {
        utf8 ? TerminalText.sanitize(text) : TerminalText.sanitizeASCII(text)
    }

    /// Writes text to standard output, each of its lines sanitised (text already made safe
    /// passes unchanged: sanitising is idempotent).
    static func print(_ text: String) {
        write(Array((safeLines(text) + "\n").utf8))
    }

    /// Writes text to standard error, each of its lines sanitised.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((safeLines(text) + "\n").utf8))
    }

    /// Sanitises each line of `text`, keeping its line breaks.
    static func safeLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { safe(String($0)) }.joined(separator: "\n")
    }

    /// Pretty JSON with the API's field names. Characters that could disturb a terminal even
    /// inside a JSON string (bidi controls, C1 controls, other invisible format characters) are
    /// written as `\uXXXX` escapes, which every JSON reader decodes back.
    static func json(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            error("error: could not encode the JSON output")
            return
        }
        var out = TerminalText.escapingUnsafe(json: Array(data))
        out.append(10)
        write(out)
    }

    /// JSON Lines: each value as one compact JSON object (sorted keys, the API's field names,
    /// unsafe characters escaped like `json`) on a line of its own, all written at once.
    static func jsonLines<Value: Encodable>(_ values: [Value]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out: [UInt8] = []
        for value in values {
            guard let data = try? encoder.encode(value) else {
                error("error: could not encode a JSON line")
                continue
            }
            out.append(contentsOf: TerminalText.escapingUnsafe(json: Array(data)))
            out.append(10)
        }
        write(out)
    }

    /// An aligned table (`TextTable`). Cells are sanitised and cut to their column's width.
    /// Written at once.
    static func table(_ headers: [String], _ rows: [[String]], rightAligned: Set<Int> = [], maxWidths: [Int: Int] = [:]) {
        let table = TextTable(headers, rows.map { $0.map(safe) }, rightAligned: rightAligned, maxWidths: maxWidths)
        write(Array(table.text(ascii: !utf8).utf8))
    }

    /// Writes bytes to standard output, all of them. A failed write (a closed pipe) ends the
    /// output there; the exit status still says how the command went.
    static func write(_ bytes: [UInt8]) {
        SystemCall.writeAll(STDOUT_FILENO, bytes)
    }

    /// True when the file descriptor is a terminal.
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }
}



/// A refusal before anything was sent: a line on standard error, `{"error": {...}}` on
/// standard output with `--json`, and exit status 2.
func refuse(_ message: String, json: Bool, kind: String = "refused") -> ExitCode {
    Output.error("error: \(message)")
    if json { Output.json(["error": ErrorJSON(kind: kind, explanation: message)]) }
    return ExitCode(ExitStatus.refused)
}

/// The JSON shape of an error, for `--json`.
struct ErrorJSON: Encodable {
    var kind: String
    var httpStatus: Int?
    var errorCode: String?
    var message: String?
    var explanation: String
    var attempts: Int?

    init(kind: String, explanation: String) {
        self.kind = kind
        self.explanation = explanation
    }

    init(_ error: ECGridError) {
        kind = error.kind.rawValue
        httpStatus = error.httpStatus
        errorCode = error.errorCode
        message = error.serverMessage
        explanation = error.explanation
        attempts = error.attempts > 0 ? error.attempts : nil
    }
}

/// Reports a failure the way every command does: a line on standard error, a JSON object on
/// standard output with `--json`, and the matching exit status.
func fail(_ error: any Error, json: Bool) -> ExitCode {
    if let exit = error as? ExitCode { return exit }
    if let config = error as? ConfigError {
        Output.error("error: \(config.description)")
        if json {
            var shape = ErrorJSON(kind: "config", explanation: config.description)
            shape.message = config.description
            Output.json(["error": shape])
        }
        return ExitCode(ExitStatus.refused)
    }
    let ecgridError = ECGridError.wrapping(error)
    Output.error("error: \(ecgridError.description)")
    if json { Output.json(["error": ErrorJSON(ecgridError)]) }
    return ExitCode(ExitStatus.code(for: ecgridError))
}

extension User {
    /// The cells of a user table row.
    var tableRow: [String] {
        [String(userId), login, displayName, place, authLevel?.rawValue ?? "-", status?.rawValue ?? "-",
         openSessions.map(String.init) ?? "-"]
    }

    static let tableHeaders = ["ID", "LOGIN", "NAME", "NET/MBX", "AUTHLEVEL", "STATUS", "SESSIONS"]
}

/// Prints users as a table, or as JSON.
func printUsers(_ users: [User], json: Bool) {
    if json {
        Output.json(users)
    } else {
        Output.table(User.tableHeaders, users.map(\.tableRow), rightAligned: [0, 6], maxWidths: [1: 28, 2: 32])
    }
}
