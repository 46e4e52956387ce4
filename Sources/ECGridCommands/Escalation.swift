import ArgumentParser
import ECGridActions
import ECGridKit

/// `rotate-key` and `terminate`: the escalations when a reset is not enough. One user, re-read
/// and confirmed by the answer its action asks for (the ID for a new key, the login for a
/// termination), then sent through the pipeline and reported in lines.
struct Escalation: ActionCommand {
    /// Which escalation.
    var kind: UserAction
    var options: EscalationOptions

    var action: ActionOptions { options.action }
    var word: String { kind.verb }

    func userIds() throws -> [Int] { [try options.target.id(json: action.output.json)] }

    /// The user in one line, what cannot be taken back, and the reason.
    func confirmation(_ targets: [ActionTarget]) -> (prompt: String, expected: Confirmation.Expected) {
        let readable = targets.compactMap(\.user)
        let prompt = ConfirmationPrompt.head(kind, users: 1, target: readable.first, safe: Output.safe)
            + ConfirmationPrompt.warning(kind) + ConfirmationPrompt.reason(action.reason, safe: Output.safe)
        return (prompt, Confirmation.expected(kind, targets: targets.map(\.userId), readable: readable))
    }

    func question(expected: String, users: Int) -> String {
        ConfirmationPrompt.question(kind, users: users, expected: expected, safe: Output.safe)
    }

    func act(on userIds: [Int], pipeline: ActionPipeline, progress: ProgressReporter) async -> [ActionReport] {
        await pipeline.run(kind, userIds: userIds, reason: action.reason) { progress.show($0) }
    }

    /// The report in lines (a new API key among them, this once), or `--json`.
    func report(_ reports: [ActionReport]) {
        for report in reports {
            if action.output.json {
                Output.json(report.json)
            } else {
                for line in report.lines { Output.print(line) }
            }
        }
    }
}

/// The options `rotate-key` and `terminate` take: the action options and the one user ID.
struct EscalationOptions: ParsableArguments {
    @OptionGroup var action: ActionOptions
    @OptionGroup var target: UserIDArgument
}
