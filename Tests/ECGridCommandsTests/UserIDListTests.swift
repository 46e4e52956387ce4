@testable import ECGridCommands
import ECGridKit
import Testing

@Suite("User ID lists: arguments and standard input")
struct UserIDListTests {
    @Test("arguments and '-' lines: any line end, comments and blanks skipped, duplicates once, order kept")
    func parses() {
        let input = Array("40011\r\n# a comment\n\n  40012 # trailing\r40011\n40013".utf8)
        let list = UserIDList.parse(arguments: ["40010", "-", "40010"]) { input }
        #expect(list.problems.isEmpty)
        #expect(list.ids == [40010, 40011, 40012, 40013])
    }

    @Test("every bad entry is reported with where it stood; nothing is taken for an ID")
    func problems() {
        let list = UserIDList.parse(arguments: ["abc", "-", "-1", "0"]) { Array("12\nx1\n".utf8) }
        #expect(list.problems.count == 4)
        #expect(list.problems[0].hasPrefix("argument 1: 'abc'"))
        #expect(list.problems[1].hasPrefix("line 2: 'x1'"))
        #expect(UserIDList.parse(arguments: ["-"]) { nil }.problems.first == "standard input could not be read")
        #expect(UserIDList.parse(arguments: ["-"]) { [] }.problems == ["no user ID given"])
    }
}
