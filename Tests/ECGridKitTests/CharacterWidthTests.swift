import Glibc
import Testing

@testable import ECGridKit

/// glibc's own functions, looked up by name: Swift's Glibc module does not declare wcwidth
/// (an X/Open extension) or gnu_get_libc_version.
enum GlibcFunctions {
    typealias WidthFunction = @convention(c) (Int32) -> Int32
    typealias VersionFunction = @convention(c) () -> UnsafePointer<CChar>

    static func wcwidth() -> WidthFunction? {
        dlsym(nil, "wcwidth").map { unsafeBitCast($0, to: WidthFunction.self) }
    }

    static func version() -> String? {
        dlsym(nil, "gnu_get_libc_version").map { String(cString: unsafeBitCast($0, to: VersionFunction.self)()) }
    }
}

/// Column widths agree with the terminal's idea of width: glibc's wcwidth, which curses uses to
/// place every character, over every code point.
@Suite("Character widths agree with glibc's wcwidth")
struct CharacterWidthTests {
    @Test("every code point the console prints as it is has glibc's width; what glibc cannot print is never printed raw")
    func everyCodePoint() throws {
        let wcwidth = try #require(GlibcFunctions.wcwidth())
        let locale = try #require(newlocale(LC_CTYPE_MASK, "C.UTF-8", nil), "no C.UTF-8 locale")
        let previous = uselocale(locale)
        defer {
            uselocale(previous)
            freelocale(locale)
        }
        var compared = 0
        var problems: [String] = []
        for value in UInt32(0x20)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let theirs = Int(wcwidth(Int32(bitPattern: value)))
            guard TerminalText.isSafe(scalar) else { continue }
            compared += 1
            if theirs < 0 {
                problems.append(String(format: "U+%04X is printed raw but glibc cannot print it", value))
            } else if TerminalText.width(of: scalar) != theirs {
                problems.append(String(format: "U+%04X: %d columns, glibc %d", value, TerminalText.width(of: scalar), theirs))
            }
        }
        #expect(compared > 100_000)
        #expect(problems.isEmpty, "\(problems.count) disagreements (run scripts/width-table.sh), first: \(problems.prefix(5))")
    }

    @Test("the ones a hand-made table missed: Kana Supplement, enclosed ideographs, Tangut, Nüshu", arguments: [
        (UInt32(0x1B000), 2), (0x1F210, 2), (0x17000, 2), (0x1B170, 2), (0x4E00, 2), (0x1F600, 2), (0x0301, 0), (0x00E9, 1),
    ])
    func knownWidths(value: UInt32, columns: Int) throws {
        let scalar = try #require(Unicode.Scalar(value))
        #expect(TerminalText.width(of: scalar) == columns)
    }

    @Test("the table was made from this machine's glibc")
    func sameGlibc() {
        let version = GlibcFunctions.version()
        #expect(version == CharacterWidthTable.glibcVersion, "glibc \(version ?? "?"); table from \(CharacterWidthTable.glibcVersion)")
    }
}
