import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Asks the person at the controlling terminal (`/dev/tty`), even when standard input is a
/// pipe of IDs. Nil when there is no terminal to ask.
enum TerminalPrompt {
    /// Writes `prompt` to the terminal and reads one line back (without its newline).
    static func ask(_ prompt: String) -> String? {
        let descriptor = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let bytes = Array(prompt.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { return nil }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < 4096 {
            let count = read(descriptor, &byte, 1)
            if count <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == 10 { break }
            if byte != 13 { line.append(byte) }
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// Like `ask`, with the terminal's echo off: for a password. Nil without a terminal.
    static func askHidden(_ prompt: String) -> String? {
        let descriptor = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var saved = termios()
        guard tcgetattr(descriptor, &saved) == 0 else { return nil }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ECHONL)
        guard tcsetattr(descriptor, TCSAFLUSH, &quiet) == 0 else { return nil }
        defer { tcsetattr(descriptor, TCSAFLUSH, &saved) }
        let bytes = Array(prompt.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { return nil }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < 4096 {
            let count = read(descriptor, &byte, 1)
            if count <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == 10 { break }
            if byte != 13 { line.append(byte) }
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// True when a controlling terminal can be opened.
    static var available: Bool {
        let descriptor = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }
}
