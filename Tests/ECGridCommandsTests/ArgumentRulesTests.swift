import ArgumentParser
@testable import ECGridCommands
import ECGridKit
import Testing

/// The command line's argument rules, parsed in-process as swift-argument-parser's own tests
/// do (`parseAsRoot`): what a command takes, what it refuses and with which exit status. The
/// spawned-binary tests keep what needs a process (exit codes, terminals, signals).
@Suite("Argument rules, in-process")
struct ArgumentRulesTests {
    /// The exit status the parser gives for `arguments` (0 when they parse).
    func status(_ arguments: [String]) -> Int32 {
        do {
            _ = try ECGridConsoleCommand.parseAsRoot(arguments)
            return 0
        } catch {
            return ECGridConsoleCommand.exitCode(for: error).rawValue
        }
    }

    @Test("the action options: --yes and --reason are parsed once for reset, rotate-key and terminate")
    func actionOptions() throws {
        let reset = try #require(try ECGridConsoleCommand.parseAsRoot(["reset", "40011", "40012", "--yes", "--reason", "INC-7"]) as? ResetCommand)
        #expect(reset.action.yes && reset.action.reason == "INC-7" && reset.ids == ["40011", "40012"])
        let rotate = try #require(try ECGridConsoleCommand.parseAsRoot(["rotate-key", "40011", "--reason", "INC-8", "--json"]) as? RotateKeyCommand)
        #expect(!rotate.options.action.yes && rotate.options.action.reason == "INC-8" && rotate.options.action.output.json)
        let terminate = try #require(try ECGridConsoleCommand.parseAsRoot(["terminate", "40011", "--yes"]) as? TerminateCommand)
        #expect(terminate.options.action.yes && terminate.options.target.values == ["40011"])
    }

    @Test("a reason longer than the history keeps is refused with exit 2 by every action, before anything is read")
    func longReason() {
        let long = String(repeating: "x", count: ActionReason.maximumLength + 1)
        for command in [["reset", "40011"], ["rotate-key", "40011"], ["terminate", "40011"]] {
            #expect(status(command + ["--reason", long]) == ExitStatus.refused, "\(command)")
            #expect(status(command + ["--reason", String(long.dropLast())]) == 0, "\(command)")
        }
    }

    @Test("usage errors are 64: no ID, two IDs for one, an unknown option, a concurrency out of range, exclusive flags")
    func usage() {
        #expect(status(["reset"]) == ExitStatus.usage)
        #expect(status(["rotate-key", "1", "2"]) == ExitStatus.usage)
        #expect(status(["terminate"]) == ExitStatus.usage)
        #expect(status(["reset", "1", "--frobnicate"]) == ExitStatus.usage)
        #expect(status(["reset", "1", "--concurrency", "0"]) == ExitStatus.usage)
        #expect(status(["reset", "1", "--concurrency", "17"]) == ExitStatus.usage)
        #expect(status(["users", "list", "--sandbox", "--base-url", "https://x.example"]) == ExitStatus.usage)
        #expect(status(["whoami", "--timeout", "0"]) == ExitStatus.usage)
    }

    @Test("a bad ID is taken as an ID (refused later with exit 2), not as an option")
    func badIDsAreArguments() throws {
        let reset = try #require(try ECGridConsoleCommand.parseAsRoot(["reset", "-1", "abc"]) as? ResetCommand)
        #expect(reset.ids == ["-1", "abc"])
        #expect(throws: ExitCode.self) { try reset.userIds() }
    }
}
