import Foundation
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Asks the person at the controlling terminal (`/dev/tty`), even when standard input is a
/// pipe of IDs. Nil when there is no terminal to ask. Prompts go through the same sanitiser as
/// every other output.
enum TerminalPrompt {
    /// Writes `prompt` to the terminal and reads one line back (without its newline).
    static func ask(_ prompt: String) -> String? {
        let descriptor = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let bytes = Array(Output.safeLines(prompt).utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { return nil }
        return readLine(descriptor)
    }

    /// Like `ask`, with the terminal's echo off: for a password. Nil without a terminal. A
    /// signal that ends the process meanwhile (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT) first puts the
    /// terminal's modes back, so echo is never left off.
    static func askHidden(_ prompt: String) -> String? {
        let descriptor = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var saved = termios()
        guard tcgetattr(descriptor, &saved) == 0 else { return nil }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ECHONL)
        EchoGuard.arm(descriptor: descriptor, modes: saved)
        defer { EchoGuard.disarm() }
        guard tcsetattr(descriptor, TCSAFLUSH, &quiet) == 0 else { return nil }
        defer { tcsetattr(descriptor, TCSAFLUSH, &saved) }
        let bytes = Array(Output.safeLines(prompt).utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { return nil }
        return readLine(descriptor)
    }

    /// Reads one line (up to 4,096 bytes) from the terminal, without its line end.
    private static func readLine(_ descriptor: Int32) -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < 4096 {
            let count = SystemCall.retryingInterrupts { read(descriptor, &byte, 1) }
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
