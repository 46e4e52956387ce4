import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import Testing

/// Hostile user records from the server, shown by the real console in a real terminal: every
/// byte the console writes is checked, and the screen a terminal makes of them.
@Suite("Reliability: hostile data in a real terminal")
struct HostileTerminalTests {
    /// A page of users whose texts hold every kind of trouble, as JSON bytes; invalid UTF-8 is
    /// written raw, the rest as the JSON escapes a server would use.
    static func hostilePage(ids: [Int]) -> [UInt8] {
        let names: [[UInt8]] = [
            Array(#"C0 \u0000\u0001\u0007\u0008\u0009\u000a\u000d\u001b\u007f end"#.utf8),
            Array(#"C1 \u0080\u0085\u008d\u0090\u009b31m\u009d0;t\u009c end"#.utf8),
            Array(#"CSI \u001b[2J\u001b[38;5;201mPINK\u001b[6n\u001b[20t\u001b[?1049l end"#.utf8),
            Array(#"OSC \u001b]0;owned\u0007\u001b]52;c;ZXZpbA==\u0007\u001b]8;;http://x.example\u001b\\link end"#.utf8),
            Array(#"DCS \u001bP+q544e\u001b\\\u001b_apc\u001b\\\u001b^pm\u001b\\\u001bXsos\u001b\\ end"#.utf8),
            Array(#"Bidi Invoice\u202efdp.exe\u2066\u2067\u2068\u2069\u200e\u200f\u061c end"#.utf8),
            Array(#"Zero w\u200bi\u200cd\u200dt\u2060h\ufeff end"#.utf8),
            Array(#"Comb e\u0301\u0301\u0301 Z\u0337\u0321\u0353\u033f\u0300\u0301\u0302 end"#.utf8),
            Array("Bytes ".utf8) + [0xFF, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0xE2, 0x80] + Array(" end".utf8),
            Array("Wide 伟王 🚀 ＡＢＣ end".utf8),
            Array("Long ".utf8) + Array(repeating: UInt8(ascii: "W"), count: 10_000),
        ]
        var body = Array(#"{"success": true, "data": ["#.utf8)
        for (index, name) in names.enumerated() {
            if index > 0 { body += Array(",".utf8) }
            body += Array(#"{"userId": \#(ids[index]), "login": "hostile.\#(index)", "firstName": "H\#(index)", "lastName": ""#.utf8)
            body += name
            body += Array(#"", "email": "h\#(index)@x.example", "networkId": 10, "mailboxId": 0, "authLevel": "NetworkUser", "status": "Active", "openSessions": 1}"#.utf8)
        }
        body += Array("]}".utf8)
        return body
    }

    /// Where an ESC starts something other than the sequences curses itself writes, or nil.
    static func foreignEscape(_ bytes: [UInt8]) -> String? {
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0x1B else {
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return "a lone ESC at the end" }
            let next = bytes[index + 1]
            switch next {
            case UInt8(ascii: "["):
                var end = index + 2
                while end < bytes.count, (0x20...0x3F).contains(bytes[end]) { end += 1 }
                guard end < bytes.count, (0x40...0x7E).contains(bytes[end]) else { return "an unfinished CSI at \(index)" }
                index = end + 1
            case UInt8(ascii: "("), UInt8(ascii: ")"):
                index += 3
            case UInt8(ascii: "7"), UInt8(ascii: "8"), UInt8(ascii: "="), UInt8(ascii: ">"), UInt8(ascii: "M"), UInt8(ascii: "D"),
                UInt8(ascii: "E"), UInt8(ascii: "c"):
                index += 2
            default:
                return "ESC \(Character(Unicode.Scalar(next))) at \(index)"
            }
        }
        return nil
    }

    @Test("every byte written is curses' own; the screen shows the data inert and aligned")
    func rawBytes() async throws {
        // The byte check itself catches what it must.
        #expect(Self.foreignEscape(Array("\u{1B}]0;x\u{07}".utf8)) != nil)
        #expect(Self.foreignEscape(Array("\u{1B}P+q\u{1B}\\".utf8)) != nil)
        #expect(Self.foreignEscape(Array("\u{1B}[1;2H\u{1B}(B\u{1B}[m".utf8)) == nil)
        var figures = ReliabilityFigures("hostile data, real terminal")
        try await withCLISandbox { server, base in
            var ids: [Int] = []
            for skip in 0..<11 { ids.append(try #require(await actionableUser(server, skip: skip)).userId) }
            await server.setFaults(FaultSettings(rules: [
                FaultRule(kind: .canned, pathPrefix: "/v2/users/list", status: 200, body: Self.hostilePage(ids: ids))
            ]))
            let directory = NSTemporaryDirectory() + "ecgrid-hostile-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
            environment["LANG"] = "C.UTF-8"
            environment["TERM"] = "xterm-256color"
            environment["HOME"] = directory
            let capture = directory + "/terminal.bytes"
            var screens: [String] = []
            try await withTmux { tmux in
                try await tmux.startCaptured([CLI.binary.path], environment: environment, capture: capture, width: 120, height: 40)
                screens.append(try await tmux.waitFor("11 users loaded · all loaded"))
                for _ in ids {
                    try await tmux.send("Down")
                }
                try await tmux.send("Home", "/")
                try await tmux.type("end")
                screens.append(try await tmux.waitFor("1–10 of 10"))
                try await tmux.send("Escape", "q")
                try await tmux.waitFor("EXITED=0")
            }
            let deadline = ContinuousClock.now + .seconds(10)
            var bytes: [UInt8] = []
            while ContinuousClock.now < deadline {
                bytes = Array(FileManager.default.contents(atPath: capture) ?? Data())
                if Data(bytes).range(of: Data("EXITED=".utf8)) != nil { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let text = String(decoding: bytes, as: UTF8.self)
            figures.record("output is valid UTF-8", problems: String(validating: bytes, as: UTF8.self) == nil ? ["invalid UTF-8 written"] : [])
            figures.record("every ESC is curses' own", problems: Self.foreignEscape(bytes).map { [$0] } ?? [])
            let forbidden = text.unicodeScalars.filter { scalar in
                (0x80...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
                    || (0x2066...0x2069).contains(scalar.value) || (0x200B...0x200F).contains(scalar.value)
                    || scalar.value == 0x061C || scalar.value == 0xFEFF || scalar.value == 0x2060 || scalar.value == 0x07
            }
            figures.record("no C1, bidi, zero-width or BEL", problems: forbidden.isEmpty ? [] : ["found \(forbidden.prefix(5).map { String($0.value, radix: 16) })"])
            let raw = ["\u{1B}[38;5;201m", "\u{1B}[6n", "\u{1B}[20t", "\u{1B}]", "\u{1B}P", "\u{1B}[2J\u{1B}[38"]
            figures.record("data sequences never raw", problems: raw.filter { text.contains($0) }.map { "raw \($0.debugDescription)" })
            let screen = screens.joined(separator: "\n")
            let inert = ["^[[38;5;201mPINK", "<U+202E>", "^[]0;owned^G", "<U+200B>", "Bytes \u{FFFD}"]
            figures.record("data shown inert", problems: inert.filter { !screen.contains($0) }.map { "not shown: \($0)" })
            // Every listed row keeps its AuthLevel in the same column, whatever its name held.
            let rows = screens[0].split(separator: "\n").filter { $0.contains("NetworkUser") && $0.hasPrefix("│") }
            let columns = Set(rows.map { row in TerminalText.width(String(row[..<(row.range(of: "NetworkUser")?.lowerBound ?? row.endIndex)])) })
            figures.record("columns aligned", problems: rows.count == 11 && columns.count == 1 ? [] : ["\(rows.count) rows, AuthLevel at columns \(columns)"])
            figures.record("rows end at the border", problems: rows.allSatisfy { TerminalText.width(String($0)) == 120 && $0.hasSuffix("│") } ? [] : ["a row is not 120 columns"])
        }
        figures.report()
    }
}
