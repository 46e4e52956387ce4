import ConsoleProfiles
import ArgumentParser
import ECGridKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where output goes and how it is made safe: every text from outside is sanitised before it
/// reaches a terminal, and ASCII is used when the locale is not UTF-8.
enum Output {
    /// True when the locale's character set is UTF-8.
    static let utf8: Bool = {
        let environment = ProcessInfo.processInfo.environment
        let locale = [environment["LC_ALL"], environment["LC_CTYPE"], environment["LANG"]]
            .compactMap { $0 }.first { !$0.isEmpty } ?? ""
        let lowered = locale.lowercased()
        return lowered.contains("utf-8") || lowered.contains("utf8")
    }()

    /// Text from outside, safe for this terminal.
    static func safe(_ text: String) -> String {
        utf8 ? TerminalText.sanitize(text) : TerminalText.sanitizeASCII(text)
    }

    static func print(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes a line to standard error, sanitised.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((safe(line) + "\n").utf8))
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
        var out = escapeUnsafe(Array(data))
        out.append(10)
        write(out)
    }

    /// Rewrites every scalar that is not safe for a terminal as `\uXXXX` (UTF-16 units), working
    /// on the bytes: ASCII, nearly all of JSON, is copied as it is.
    static func escapeUnsafe(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16)
        let hex = Array("0123456789abcdef".utf8)
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                out.append(lead)
                index += 1
                continue
            }
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            let end = min(bytes.count, index + length)
            let sequence = bytes[index..<end]
            guard let text = String(validating: sequence, as: UTF8.self), let scalar = text.unicodeScalars.first,
                  text.unicodeScalars.count == 1
            else {
                out.append(contentsOf: sequence)
                index = end
                continue
            }
            if TerminalText.isSafe(scalar) {
                out.append(contentsOf: sequence)
            } else {
                for unit in String(scalar).utf16 {
                    out.append(contentsOf: [92, 117])  // \u
                    for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((unit >> UInt16(shift)) & 0xF)]) }
                }
            }
            index = end
        }
        return out
    }

    /// An aligned table. Cells are sanitised and cut to their column's width. Written at once.
    static func table(_ headers: [String], _ rows: [[String]], rightAligned: Set<Int> = [], maxWidths: [Int: Int] = [:]) {
        let safeRows = rows.map { $0.map(safe) }
        var widths = headers.map { TerminalText.width($0) }
        for row in safeRows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], min(TerminalText.width(cell), maxWidths[index] ?? 40))
            }
        }
        var out: [UInt8] = []
        func render(_ cells: [String]) {
            var line = cells.enumerated().map { index, cell in
                TerminalText.fit(cell, to: widths[index], ascii: !utf8, alignRight: rightAligned.contains(index))
            }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            out.append(contentsOf: line.utf8)
            out.append(10)
        }
        render(headers)
        for row in safeRows { render(row) }
        write(out)
    }

    /// Writes bytes to standard output, all of them, in large writes.
    static func write(_ bytes: [UInt8]) {
        var offset = 0
        bytes.withUnsafeBufferPointer { buffer in
            while offset < buffer.count {
                let chunk = min(1 << 20, buffer.count - offset)
                let written = Glibc.write(STDOUT_FILENO, buffer.baseAddress.map { $0 + offset }, chunk)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// True when the file descriptor is a terminal.
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }
}

/// Exit statuses of the command line.
enum ExitStatus {
    /// Every requested action succeeded.
    static let success: Int32 = 0
    /// At least one request failed at the server or on the way.
    static let failure: Int32 = 1
    /// Refused before anything was sent: bad input, no credential, not confirmed.
    static let refused: Int32 = 2

    static func code(for error: ECGridError) -> Int32 {
        switch error.kind {
        case .missingCredentials, .invalidURL, .insecureURL, .invalidInput: refused
        default: failure
        }
    }
}

/// The JSON shape of an error, for `--json`.
struct ErrorJSON: Encodable {
    var kind: String
    var httpStatus: Int?
    var errorCode: String?
    var message: String?
    var explanation: String
    var attempts: Int?

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
        Output.error("error: \(Output.safe(config.description))")
        if json { Output.json(["error": ["kind": "config", "message": config.description]]) }
        return ExitCode(ExitStatus.refused)
    }
    let ecgridError = (error as? ECGridError) ?? ECGridError(.transport, detail: "\(type(of: error))")
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
