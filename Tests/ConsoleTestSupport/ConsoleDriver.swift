import ConsoleUI

/// How a test drives the console, whatever runs it: keys in, the screen out. `MemoryConsole`
/// runs the executable's loop on an in-memory terminal; `Tmux` runs the built binary in a
/// tmux pane. Waits poll a condition with a deadline; nothing sleeps to synchronise.
package protocol ConsoleDriver {
    /// Presses keys, in order.
    func send(_ keys: [Key]) async throws
    /// Types text, a key per character.
    func type(_ text: String) async throws
    /// The screen as text, now.
    func screenText() async throws -> String
    /// Waits until the screen shows `text` and returns the screen, or fails after `timeout`.
    @discardableResult
    func waitFor(_ text: String, timeout: Duration) async throws -> String
}

extension MemoryConsole: ConsoleDriver {
    package func send(_ keys: [Key]) async throws {
        terminal.type(keys)
        program.step(waitingUpTo: .zero)
    }

    package func screenText() async throws -> String { screen }
}

extension Tmux: ConsoleDriver {
    package func send(_ keys: [Key]) async throws {
        for key in keys {
            if case .character(let character) = key {
                try await type(String(character))
            } else {
                try await send(Self.name(of: key))
            }
        }
    }

    package func screenText() async throws -> String { try await screen() }

    @discardableResult
    package func waitFor(_ text: String, timeout: Duration) async throws -> String {
        try await waitFor(text, timeout: timeout, joined: false)
    }

    /// tmux's name for a key (`send-keys`).
    static func name(of key: Key) -> String {
        switch key {
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        case .pageUp: "PPage"
        case .pageDown: "NPage"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Escape"
        case .tab: "Tab"
        case .backTab: "BTab"
        case .backspace: "BSpace"
        case .delete: "DC"
        case .function(let number): "F\(number)"
        case .ctrl(let character): "C-\(character)"
        case .character(let character): String(character)
        }
    }
}
