import ConsoleTestSupport
import Foundation

/// `console-driver [--bytes] COLUMNS ROWS PROGRAM [ARGUMENT…] < SCRIPT`: plays an operator's
/// script into a program (the console) in a tmux pane of its own, through the tests' `Tmux`
/// driver, so the screenshots and the benchmarks drive the console the way the tests do. The
/// pane gets this process's environment (TERM included). Script lines (`#` starts a comment):
///
///     wait TEXT          until the screen shows TEXT (20 s at most)
///     keys NAME…         tmux key names: Enter, Escape, Tab, Down, Space, ?, /, q …
///     type TEXT          TEXT as typed
///     type-match REGEX   types the first capture group of REGEX on the screen now
///     capture FILE       the screen with its colours (`capture-pane -e -N`) into FILE
///
/// With `--bytes`, every byte the program writes to its terminal is counted (`ByteMeter`), and:
///
///     quiet MS           until the program has written nothing for MS milliseconds
///     press MS NAME…     the keys, then `quiet MS`; prints `bytes N`, what it wrote meanwhile
@main
struct ConsoleDriverTool {
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let counting = arguments.first == "--bytes"
        if counting { arguments.removeFirst() }
        guard arguments.count >= 3, let columns = Int(arguments[0]), let rows = Int(arguments[1]) else {
            FileHandle.standardError.write(Data("usage: console-driver [--bytes] COLUMNS ROWS PROGRAM [ARGUMENT…] < SCRIPT\n".utf8))
            exit(64)
        }
        let script = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let tmux = Tmux()
        let capture = NSTemporaryDirectory() + "console-driver-\(tmux.socket).bytes"
        defer { try? FileManager.default.removeItem(atPath: capture) }
        let meter = counting ? ByteMeter(path: capture) : nil
        do {
            let program = Array(arguments.dropFirst(2))
            let environment = ProcessInfo.processInfo.environment
            if counting {
                // The figures mean a program on a plain terminal: tmux's own variables go.
                let program = ["/usr/bin/env", "-u", "TMUX", "-u", "TMUX_PANE"] + program
                try await tmux.startCaptured(program, environment: environment, capture: capture, width: columns, height: rows)
            } else {
                try await tmux.start(program, environment: environment, width: columns, height: rows)
            }
            for line in script.split(separator: "\n") {
                try await play(String(line), on: tmux, meter: meter)
            }
            await tmux.kill()
        } catch {
            FileHandle.standardError.write(Data("console-driver: \(error)\n".utf8))
            await tmux.kill()
            exit(1)
        }
    }

    static func play(_ line: String, on tmux: Tmux, meter: ByteMeter?) async throws {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return }
        let command = trimmed.prefix { $0 != " " }
        let rest = String(trimmed.dropFirst(command.count).dropFirst())
        switch command {
        case "wait":
            try await tmux.waitFor(rest, timeout: .seconds(20), joined: false)
        case "keys":
            for key in rest.split(separator: " ") { try await tmux.send(String(key)) }
        case "type":
            try await tmux.type(rest)
        case "type-match":
            let screen = try await tmux.screen()
            let expression = try NSRegularExpression(pattern: rest)
            let whole = NSRange(screen.startIndex..., in: screen)
            guard let match = expression.firstMatch(in: screen, range: whole), match.numberOfRanges > 1,
                  let range = Range(match.range(at: 1), in: screen) else {
                throw Spawn.Failure(description: "nothing on the screen matches \(rest):\n\(screen)")
            }
            try await tmux.type(String(screen[range]))
        case "quiet", "press":
            guard let meter else { throw Spawn.Failure(description: "\(command) needs --bytes") }
            let words = rest.split(separator: " ").map(String.init)
            guard let milliseconds = words.first.flatMap(Int.init) else {
                throw Spawn.Failure(description: "\(command) needs a window in milliseconds: \(line)")
            }
            if command == "quiet" {
                try await meter.quiet(for: .milliseconds(milliseconds))
            } else {
                let written = try await meter.press(Array(words.dropFirst()), on: tmux, window: .milliseconds(milliseconds))
                FileHandle.standardOutput.write(Data("bytes \(written)\n".utf8))
            }
        case "capture":
            let screen = try await tmux.tmux(["capture-pane", "-e", "-p", "-N", "-t", tmux.session])
            try Data(screen.utf8).write(to: URL(fileURLWithPath: rest))
        default:
            throw Spawn.Failure(description: "unknown script command: \(line)")
        }
    }
}
