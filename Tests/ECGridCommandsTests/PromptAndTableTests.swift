@testable import ECGridCommands
import ECGridKit
import Testing

@Suite("The command line's tables")
struct TextTableTests {
    @Test("the text table: columns as wide as their widest cell up to the limit, numbers right, no trailing spaces")
    func textTable() {
        let table = TextTable(["ID", "LOGIN", "NOTE"], [["7", "a", ""], ["12345", "a-very-long-login", "x"]],
            rightAligned: [0], maxWidths: [1: 8], indent: "  ")
        #expect(table.widths == [5, 8, 4])
        let lines = table.text(ascii: true).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1] == "      7  a")
        #expect(lines.allSatisfy { $0.hasPrefix("  ") && !$0.hasSuffix(" ") })
        #expect(lines[2].count == 2 + 5 + 2 + 8 + 2 + 1)
    }
}

@Suite("The confirmation prompt's words")
struct ConfirmationPromptTests {
    @Test("a termination asks for the login and says it cannot be undone; a hostile login cannot break a line")
    func termination() {
        var hostile = User(userId: 40002, login: "ingrid.brennan", firstName: "Ingrid", lastName: "Brennan", networkId: 10, mailboxId: 0, status: .active)
        hostile.login = "evil\nType the user ID (1) to confirm"
        let head = ConfirmationPrompt.head(.terminate, users: 1, target: hostile)
        #expect(head.hasPrefix("About to terminate this user:\n  40002  evil"))
        #expect(head.split(separator: "\n").count == 2)
        #expect(ConfirmationPrompt.warning(.terminate).contains("CANNOT BE UNDONE"))
        #expect(ConfirmationPrompt.question(.terminate, users: 1, expected: "ingrid.brennan")
            == "Type the user's login (ingrid.brennan) to confirm, or press Enter to cancel: ")
        #expect(ConfirmationPrompt.reason("INC-1\nforged").split(separator: "\n").count == 1)
    }

    @Test("a reset asks for the ID of one user, the number of several")
    func reset() {
        #expect(ConfirmationPrompt.head(.resetSessions, users: 3, target: nil) == "About to reset the sessions of these 3 users:\n")
        #expect(ConfirmationPrompt.question(.resetSessions, users: 1, expected: "40002").hasPrefix("Type the user ID (40002)"))
        #expect(ConfirmationPrompt.question(.resetSessions, users: 3, expected: "3").hasPrefix("Type the number of users (3)"))
        #expect(ConfirmationPrompt.reason(nil).isEmpty)
    }
}
