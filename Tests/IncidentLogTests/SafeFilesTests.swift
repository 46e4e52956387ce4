import ECGridKit
import Foundation
import IncidentLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("History files: no links followed, no directory anyone may write, controls escaped")
struct SafeFilesTests {
    func refused(_ body: () throws -> Void) -> HistoryError? {
        do {
            try body()
            return nil
        } catch let error as HistoryError {
            return error
        } catch {
            return nil
        }
    }

    @Test("a history path that is a symbolic link is refused, dangling or not, and its target is left alone")
    func symbolicLink() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try FileManager.default.createDirectory(atPath: history.directory + "/state", withIntermediateDirectories: true)
        chmod(history.directory + "/state", 0o700)
        let target = history.directory + "/elsewhere.jsonl"
        try FileManager.default.createSymbolicLink(atPath: history.path, withDestinationPath: target)
        let dangling = refused { try history.recorder().intent(action: "reset-sessions", target: snapshot(1), reason: nil) }
        #expect(dangling?.isRefusal == true)
        #expect(dangling?.description.contains("symbolic link") == true)
        #expect(!FileManager.default.fileExists(atPath: target))

        try "precious\n".write(toFile: target, atomically: true, encoding: .utf8)
        let followed = refused { try history.recorder().intent(action: "reset-sessions", target: snapshot(1), reason: nil) }
        #expect(followed?.isRefusal == true)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
        #expect(refused { _ = try history.store.verify() }?.isRefusal == true)
        #expect(refused { _ = try history.store.entries() }?.isRefusal == true)
    }

    @Test("a directory anyone may write is refused; a group-writable one (a team's) is not")
    func worldWritableDirectory() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        try FileManager.default.createDirectory(atPath: history.directory + "/state", withIntermediateDirectories: true)
        chmod(history.directory + "/state", 0o777)
        let error = refused { try history.recorder().intent(action: "reset-sessions", target: snapshot(1), reason: nil) }
        #expect(error?.isRefusal == true)
        #expect(error?.description.contains("may be written by anyone") == true)
        #expect(!FileManager.default.fileExists(atPath: history.path))
        chmod(history.directory + "/state", 0o770)
        try history.recorder().intent(action: "reset-sessions", target: snapshot(1), reason: nil)
    }

    @Test("C0, C1, bidi and invisible controls are stored as \\uXXXX: the raw file is safe on a terminal, the record reads back the same")
    func controlsEscaped() throws {
        let history = TemporaryHistory()
        defer { history.remove() }
        let hostile = "INC-1 \u{202E}evil\u{202C} \u{1B}[31mred \u{9B}2J \u{7F} \u{2028}next \u{200B}\u{2066}x\u{2069} \u{FEFF}\u{061C} ok é 漢"
        let record = try history.recorder().intent(action: "reset-sessions", target: snapshot(1), reason: hostile)
        let raw = try #require(FileManager.default.contents(atPath: history.path))
        let text = String(decoding: raw, as: UTF8.self)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let control = value < 0x20 && value != 0x0A || (0x7F...0x9F).contains(value)
            let invisible = [0x061C, 0xFEFF].contains(value) || (0x200B...0x200F).contains(value)
                || (0x2028...0x202E).contains(value) || (0x2060...0x2069).contains(value)
            #expect(!control && !invisible, "U+\(String(value, radix: 16)) stored raw")
        }
        #expect(text.contains(#"\u202e"#) && text.contains(#"\u009b"#) && text.contains(#"\u007f"#) && text.contains("é 漢"))
        let stored = try #require(try history.store.records().first)
        #expect(stored.reason == hostile && stored == record)
        #expect(try history.store.verify().findings.isEmpty)
    }
}
