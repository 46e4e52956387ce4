import ArgumentParser
import ECGridActions
import ECGridKit
import IncidentLog

/// What `contain` ends with: a report per user and what the watch saw. Never a password.
struct ContainResult: ActionResult {
    var reports: [ContainmentReport]
    var reason: String?
    /// The playbook's id (nil for `--resume`, whose playbooks keep their own).
    var playbookId: String?
    /// What `--watch` recorded: sessions seen again.
    var watched: [Observation] = []

    /// 0 only when every chosen step of every user succeeded and the watch saw nothing.
    var exitStatus: Int32 {
        reports.allSatisfy { $0.status == .succeeded } && watched.isEmpty ? ExitStatus.success : ExitStatus.failure
    }

    var historyFailures: [String] {
        reports.flatMap { report in report.historyFailures.map { "user \(report.userId): \($0)" } }
    }

    /// One user's report as the terminal shows it: the user, each step with its outcome and
    /// what happened, what the verifying read found, and what to do next.
    static func lines(_ report: ContainmentReport) -> [String] {
        let who = "\(report.userId) " + (report.target.map { Output.safe($0.login) } ?? "")
        var lines = ["Contain \(who): \(report.status.shown)"]
        if let refusal = report.refusal { lines.append("  \(Output.safe(refusal))") }
        for step in report.steps {
            let status = step.earlier ? "\(step.shown) (earlier)" : step.shown
            let padded = step.step.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
            lines.append("  \(padded) \(status.padding(toLength: 20, withPad: " ", startingAt: 0)) \(Output.safe(step.note))")
            for request in step.reports {
                let exchange = request.outcome.exchange
                let answer = exchange.map { "HTTP \($0.httpStatus.map(String.init) ?? "-") in \($0.latencyMs) ms, \($0.attempts) attempt(s)" }
                    ?? request.outcome.error?.headline ?? "no answer"
                let message = (exchange?.message ?? request.outcome.error?.serverMessage).map { "; server said: \(Output.safe($0))" } ?? ""
                lines.append("            \(request.outcome.error?.request ?? exchange?.request ?? request.action.request(userId: report.userId)) → \(answer)\(message)")
            }
        }
        if let verification = report.verification {
            lines.append("  verify    \(Output.safe(verification.note))")
        } else if report.refusal == nil {
            lines.append("  verify    the user could not be re-read after the steps: check it with 'ecgrid-console users show \(report.userId)'")
        }
        lines.append("  next: \(report.next)")
        return lines
    }

    /// The `--json` shape: the API's field names, one object a user, never a password or key.
    struct JSON: Encodable {
        struct Step: Encodable {
            var step: String
            /// `succeeded`, `failed`, `unknown`, `not-sent`, or `not-run`.
            var outcome: String
            var earlier: Bool
            var note: String
            var requests: [ActionReport.JSON]
        }

        struct User: Encodable {
            var userId: Int
            var login: String?
            var outcome: String
            var playbookId: String
            var actionId: String?
            var steps: [Step]
            var verification: Observation?
            var passwordDelivery: String?
            var refusal: String?
            var next: String
            var historyFailures: [String]?
        }

        var results: [User]
        var succeeded: Int
        var failed: Int
        var unknown: Int
        var notSent: Int
        var reason: String?
        var playbookId: String?
        var watched: [Observation]?
    }

    var json: JSON {
        let statuses = reports.map(\.status)
        return JSON(
            results: reports.map { report in
                JSON.User(
                    userId: report.userId, login: report.target?.login, outcome: report.status.word, playbookId: report.playbookId,
                    actionId: report.actionId,
                    steps: report.steps.map { step in
                        JSON.Step(step: step.step.rawValue, outcome: step.status?.word ?? "not-run", earlier: step.earlier,
                                  note: step.note, requests: step.reports.map(\.json))
                    },
                    verification: report.verification, passwordDelivery: report.passwordDelivery, refusal: report.refusal,
                    next: report.next, historyFailures: report.historyFailures.isEmpty ? nil : report.historyFailures)
            },
            succeeded: statuses.filter { $0 == .succeeded }.count, failed: statuses.filter { $0 == .failed }.count,
            unknown: statuses.filter { $0 == .unknown }.count, notSent: statuses.filter { $0 == .notSent }.count,
            reason: reason, playbookId: playbookId, watched: watched.isEmpty ? nil : watched)
    }
}

/// `contain --dry-run`: the requests the playbook would send, in order, for each user, and
/// the refusals it would meet; it reads (the operator, the users, their keys) and sends no
/// state-changing request and writes no history.
struct DryRun {
    let command: ContainCommand
    let plan: ContainmentPlan

    func run() async throws {
        let json = command.action.output.json
        let ids = try command.parsedIds()
        let (lines, refusals) = try await withConnection(command.action.connection) { connection in
            let client = connection.client
            let me = try? await client.me().value
            var lines = ["GET /v2/users/me  (who you are: refusals, and the records' API user)"]
            for id in ids {
                lines.append("")
                lines.append("User \(id):")
                do {
                    let user = try await client.user(id: id).value
                    let keys = plan.steps.contains(.keys) ? ((try? await client.apiKeys(userId: id).value) ?? []) : []
                    lines += plan.requests(for: user, keys: keys).map { "  " + $0 }
                } catch {
                    lines.append("  GET /v2/users/\(id) fails: \(ECGridError.wrapping(error).explanation) Nothing else would be sent.")
                }
            }
            return (lines, plan.refusals(operatorUser: me, targets: ids))
        }
        if json {
            Output.json(DryRunJSON(requests: lines.filter { !$0.isEmpty }, refusals: refusals.map(\.description)))
        } else {
            Output.print("Dry run: nothing is sent, nothing is recorded. The playbook would send, in order:")
            for line in lines { Output.print(line) }
            for refusal in refusals { Output.print("It would be refused: \(refusal).") }
        }
        if !refusals.isEmpty { throw ExitCode(ExitStatus.refused) }
    }

    struct DryRunJSON: Encodable {
        var requests: [String]
        var refusals: [String]
    }
}
