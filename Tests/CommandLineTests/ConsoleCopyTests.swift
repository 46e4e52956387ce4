import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import Testing

@Suite("Copy over SSH, end to end in tmux: the OSC 52 bytes reach the terminal")
struct ConsoleCopyTests {
    /// Every OSC 52 payload in `bytes`, base64-decoded.
    func copies(in bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.components(separatedBy: "\u{1B}]52;c;").dropFirst().compactMap { part in
            guard let end = part.firstIndex(of: "\u{07}"), let data = Data(base64Encoded: String(part[..<end])) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
    }

    @Test("y writes ESC ] 52 ; c ; base64(ID) BEL; Y the record; tmux with set-clipboard on gets the ID in its buffer")
    func copyInTmux() async throws {
        try await withCLISandbox { server, base in
            let directory = NSTemporaryDirectory() + "ecgrid-copy-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            environment["LANG"] = "C.UTF-8"
            environment["TERM"] = "xterm-256color"
            environment["HOME"] = directory
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            let target = 40011
            let login = try #require(await server.store.user(target)?.login)
            let capture = directory + "/terminal.bytes"
            try await withTmux { tmux in
                try await tmux.startCaptured([CLI.binary.path], environment: environment, capture: capture)
                try await tmux.tmux(["set-option", "-g", "set-clipboard", "on"])
                try await tmux.waitFor("all loaded")
                try await tmux.send("/")
                try await tmux.type(login)
                try await tmux.waitFor("1 match")
                try await tmux.send("Enter", "y")
                try await tmux.waitFor("Copied user ID \(target) (OSC 52)")
                // tmux took the sequence from the pane and put the ID in a paste buffer.
                let deadline = ContinuousClock.now + .seconds(10)
                var buffer = ""
                while ContinuousClock.now < deadline {
                    buffer = try await tmux.tmux(["show-buffer"])
                    if buffer == String(target) { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(buffer == String(target))
                try await tmux.send("Enter")
                try await tmux.waitFor("as the server has it")
                try await tmux.send("Y")
                try await tmux.waitFor("Copied the user record")
                try await tmux.send("q")
                try await tmux.waitFor("EXITED=")
            }
            // The copy of the pane's output is complete once it holds the shell's EXITED= line.
            var bytes: [UInt8] = []
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                bytes = FileManager.default.contents(atPath: capture).map(Array.init) ?? []
                if bytes.firstRange(of: Array("EXITED=".utf8)) != nil { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let exact = Array("\u{1B}]52;c;\(Data(String(target).utf8).base64EncodedString())\u{07}".utf8)
            #expect(bytes.firstRange(of: exact) != nil, "the exact OSC 52 bytes for the ID were not written")
            let copied = copies(in: bytes)
            #expect(copied.count == 2)
            #expect(copied.first == String(target))
            let record = try #require(copied.last)
            #expect(record.hasPrefix("User \(target) · \(login) · as the server has it\n"))
            #expect(record.contains("Sessions"))
            #expect(!record.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        }
    }
}
