import Foundation

/// A tmux server of a test's own, running the console in a pane of a given size: send keys,
/// read the screen, wait for text to appear. Every wait polls a condition with a deadline.
package struct Tmux {
    package let socket = "ecgrid-test-\(UUID().uuidString.prefix(8))"
    package let session = "console"

    package init() {}

    /// Starts `command` (argv) in a detached session. The tmux server starts with exactly
    /// `environment` (plus PATH and SHELL) and the pane inherits it, so no variable, and above
    /// all no credential, ever appears in a process's arguments; only TERM is set on the pane's
    /// command line, because tmux would otherwise impose its own.
    package func start(_ command: [String], environment: [String: String], width: Int = 100, height: Int = 30) async throws {
        try await launch(command, environment: environment, width: width, height: height, gated: false)
    }

    /// Starts `command` like `start`, with every byte it writes to the terminal copied to
    /// `capture` (`pipe-pane`) from its very first one: the pane waits for a line before it
    /// runs the command, and gets it once the copy is running.
    package func startCaptured(
        _ command: [String], environment: [String: String], capture: String, width: Int = 100, height: Int = 30
    ) async throws {
        try await launch(command, environment: environment, width: width, height: height, gated: true)
        try await tmux(["pipe-pane", "-o", "-t", session, "cat > '\(capture)'"])
        try await send("Enter")
    }

    private func launch(_ command: [String], environment: [String: String], width: Int, height: Int, gated: Bool) async throws {
        var serverEnvironment = ["PATH": "/usr/bin:/bin", "SHELL": "/bin/sh"]
        serverEnvironment.merge(environment) { $1 }
        let term = environment["TERM"] ?? "xterm-256color"
        let quoted = command.map { "'\($0)'" }.joined(separator: " ")
        let shell = (gated ? "read gate; " : "") + "TERM='\(term)' \(quoted); echo \"EXITED=$?\"; sleep 600"
        let run = try await Spawn.run(
            ["/usr/bin/tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", session,
             "-x", String(width), "-y", String(height), shell],
            environment: serverEnvironment)
        guard run.status == 0 else { throw Spawn.Failure(description: "tmux new-session failed: \(run.stderr)") }
    }

    /// The local modes of the pane's terminal, as `stty` reads them: after the program ends,
    /// curses must have put echo and canonical input back.
    package func terminalModes() async throws -> (echo: Bool, canonical: Bool) {
        let tty = try await tmux(["display-message", "-p", "-t", session, "#{pane_tty}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let modes = try await Spawn.run(["/bin/stty", "-F", tty, "-a"], environment: ["PATH": "/usr/bin:/bin"])
        let words = Set(modes.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        return (words.contains("echo"), words.contains("icanon"))
    }

    @discardableResult
    package func tmux(_ arguments: [String]) async throws -> String {
        let run = try await Spawn.run(["/usr/bin/tmux", "-L", socket] + arguments, environment: ["PATH": "/usr/bin:/bin"])
        return run.stdout
    }

    /// Sends tmux key names (`Enter`, `Escape`, `Tab`, `Down`) or literal text.
    package func send(_ keys: String...) async throws {
        for key in keys { try await tmux(["send-keys", "-t", session, key]) }
    }

    /// Sends text literally, character by character as typed.
    package func type(_ text: String) async throws {
        try await tmux(["send-keys", "-t", session, "-l", text])
    }

    package func screen() async throws -> String { try await tmux(["capture-pane", "-p", "-t", session]) }

    /// The screen with lines the terminal wrapped joined again: after a SIGKILL left the
    /// console's screen up, the shell's EXITED line may wrap at the right edge.
    package func joinedScreen() async throws -> String { try await tmux(["capture-pane", "-p", "-J", "-t", session]) }

    /// Waits until the screen shows `text` (and returns it), or fails after `timeout`.
    @discardableResult
    package func waitFor(_ text: String, timeout: Duration = .seconds(15), joined: Bool = false) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = joined ? try await joinedScreen() : try await screen()
            if last.contains(text) { return last }
            try await Task.sleep(for: .milliseconds(40))
        }
        throw TmuxTimeout(waitedFor: text, screen: last)
    }

    /// Waits until the screen no longer shows `text`.
    package func waitUntilGone(_ text: String, timeout: Duration = .seconds(15)) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try await screen()
            if !last.contains(text) { return }
            try await Task.sleep(for: .milliseconds(40))
        }
        throw TmuxTimeout(waitedFor: "'\(text)' to go", screen: last)
    }

    package func resize(width: Int, height: Int) async throws {
        try await tmux(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    /// 1 while the pane is in the alternate screen (the console is up), 0 once it is restored.
    package func alternateScreen() async throws -> String {
        try await tmux(["display-message", "-p", "-t", session, "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    package func panePID() async throws -> Int32? {
        Int32(try await tmux(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    package func kill() async {
        _ = try? await tmux(["kill-server"])
    }
}

package struct TmuxTimeout: Error, CustomStringConvertible {
    package var waitedFor: String
    package var screen: String
    package var description: String { "timed out waiting for \(waitedFor); the screen was:\n\(screen)" }
}

/// Runs `body` with a tmux server that is always killed afterwards.
package func withTmux<T>(_ body: (Tmux) async throws -> T) async throws -> T {
    let tmux = Tmux()
    do {
        let result = try await body(tmux)
        await tmux.kill()
        return result
    } catch {
        await tmux.kill()
        throw error
    }
}

extension Tmux {
    /// The console's pid: the child of the pane's shell.
    package func consolePID() async throws -> Int32? {
        guard let shell = try await panePID() else { return nil }
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        var pids = children.split(separator: " ").compactMap { Int32($0) }
        while let pid = pids.first {
            let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            if command.hasPrefix("ecgrid-console") { return pid }
            pids.removeFirst()
        }
        return nil
    }
}

/// Pids of running processes whose command line contains `text`.
package func processesWithArgument(containing text: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { entry in
        guard Int32(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return false }
        return String(decoding: data, as: UTF8.self).contains(text)
    }
}
