import ECGridKit
import Foundation
import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Where the accessible console reads and writes: lines, never a cursor move. What a screen
/// reader (or a braille display, or a plain `script` log) needs from a terminal program is
/// linear text: every line is written once, in order, no line is redrawn or erased, no escape
/// sequence is ever written (text from outside is sanitised first, and any byte below 0x20
/// other than a line end is dropped as a last guard), and no line is longer than the terminal
/// is wide (longer ones are wrapped at a space).
package protocol LineIO: Sendable {
    /// Writes `text`: its lines, each wrapped to the width; a line end after each.
    func say(_ text: String)
    /// Writes `prompt` (no line end) and waits for the operator's line; nil at end of input.
    func ask(_ prompt: String) async -> String?
    /// The terminal's width in columns.
    var width: Int { get }
}

/// The process's standard input and output as a `LineIO`. Input is read on a thread of its
/// own (a blocking `read` must not hold one of the few threads async work runs on), one
/// line at a time as the terminal's line discipline delivers it: the operator's typing,
/// editing and echo stay the terminal's own, so nothing about the terminal is changed and
/// nothing needs restoring when the program ends, whatever ends it.
package final class StandardLines: LineIO {
    package let width: Int
    private let ascii: Bool
    private let reader = LineReader()
    private let output = Mutex(())

    /// Lines on standard input and output; `ascii` when the locale is not UTF-8.
    package init(ascii: Bool) {
        self.ascii = ascii
        width = Self.columns()
    }

    package func say(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { LineWrap.wrap(String($0), width: width) }
        emit(lines.map { $0 + "\n" }.joined())
    }

    package func ask(_ prompt: String) async -> String? {
        // A prompt longer than the line is wrapped, its last part left open for the answer.
        let lines = LineWrap.wrap(prompt, width: width)
        emit(lines.dropLast().map { $0 + "\n" }.joined() + (lines.last ?? ""))
        return await reader.next()
    }

    private func emit(_ text: String) {
        let safe = ascii ? TerminalText.sanitizeASCII(text) : text
        // The last guard: no control byte but the line end reaches the terminal.
        let bytes = Array(safe.utf8).filter { $0 == 10 || $0 >= 0x20 && $0 != 0x7F }
        output.withLock { _ in _ = SystemCall.writeAll(STDOUT_FILENO, bytes) }
    }

    /// Columns of standard output's terminal, 80 when it is none; at least 40.
    static func columns() -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return max(40, Int(size.ws_col))
    }
}

/// Reads standard input a line at a time on its own thread.
final class LineReader: Sendable {
    private let state = Mutex<(lines: [String?], waiter: CheckedContinuation<String?, Never>?, started: Bool)>(([], nil, false))

    /// The next line; nil at the end of input, or when the waiting task is cancelled (a
    /// signal ends the conversation while it waits at a prompt).
    func next() async -> String? {
        startIfNeeded()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: String?? = state.withLock { state in
                    if !state.lines.isEmpty { return state.lines.removeFirst() }
                    if Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }

    private func startIfNeeded() {
        let start = state.withLock { state in
            defer { state.started = true }
            return !state.started
        }
        guard start else { return }
        let thread = Thread { [self] in
            var pending: [UInt8] = []
            var byte: UInt8 = 0
            while true {
                let count = SystemCall.retryingInterrupts { read(STDIN_FILENO, &byte, 1) }
                if count <= 0 {
                    deliver(pending.isEmpty ? nil : String(decoding: pending, as: UTF8.self))
                    if !pending.isEmpty { deliver(nil) }
                    return
                }
                if byte == 10 {
                    deliver(String(decoding: pending, as: UTF8.self))
                    pending = []
                } else if byte != 13, pending.count < 4096 {
                    pending.append(byte)
                }
            }
        }
        thread.start()
    }

    private func deliver(_ line: String?) {
        let waiter: CheckedContinuation<String?, Never>? = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.lines.append(line)
            return nil
        }
        waiter?.resume(returning: line)
    }
}

/// Wraps a line to a width at spaces (a word longer than the line is cut), counting columns
/// as the terminal does (wide characters take two).
package enum LineWrap {
    package static func wrap(_ line: String, width: Int) -> [String] {
        guard TerminalText.width(line) > width else { return [line] }
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if TerminalText.width(candidate) <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            var rest = Substring(word)
            while TerminalText.width(String(rest)) > width {
                // As many characters as fit, never half a wide one.
                var used = 0
                let head = rest.prefix { character in
                    used += TerminalText.width(String(character))
                    return used <= width
                }
                lines.append(String(head))
                rest = rest.dropFirst(max(1, head.count))
            }
            current = String(rest)
        }
        lines.append(current)
        return lines
    }
}
