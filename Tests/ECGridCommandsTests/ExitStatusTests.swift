@testable import ECGridCommands
import ECGridKit
import Testing

@Suite("Exit status of a run of actions")
struct ExitStatusTests {
    func outcome(sent: Bool, succeeded: Bool, error: ECGridError? = nil) -> ActionOutcome {
        ActionOutcome(userId: 1, sent: sent, succeeded: succeeded, error: error)
    }

    @Test("0 all succeeded, 1 a failure or an unknown outcome, 2 only refusals before sending")
    func codes() {
        let ok = outcome(sent: true, succeeded: true)
        let refused = outcome(sent: false, succeeded: false, error: ECGridError(.invalidInput, detail: "history"))
        let unreadable = outcome(sent: false, succeeded: false, error: ECGridError(.api, httpStatus: 404, errorCode: "ObjectNotFound"))
        let lost = outcome(sent: true, succeeded: false, error: ECGridError(.connectionDropped))
        #expect(ExitStatus.code(for: [ok, ok]) == ExitStatus.success)
        #expect(ExitStatus.code(for: [ok, refused]) == ExitStatus.refused)
        #expect(ExitStatus.code(for: [refused, unreadable]) == ExitStatus.failure)
        #expect(ExitStatus.code(for: [ok, lost]) == ExitStatus.failure)
        #expect(ExitStatus.code(for: [ok], historyFailed: true) == ExitStatus.failure)
        #expect(ExitStatus.code(for: ECGridError(.missingCredentials)) == ExitStatus.refused)
        #expect(ExitStatus.code(for: ECGridError(.timeout)) == ExitStatus.failure)
    }
}
