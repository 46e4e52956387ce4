import ECGridKit
import IncidentLog

/// Keeps an eye on users after their containment: re-reads each one every `interval` for
/// `duration`, and when open sessions appear again (someone logged in after the password
/// change and the reset: someone still holds a credential) records an observation and tells
/// the caller, once each time the count rises.
package struct ContainmentWatch: Sendable {
    /// One user being watched, and the playbook that contained it.
    package struct Target: Sendable, Equatable {
        package var userId: Int
        package var login: String
        package var playbookId: String
        package var reason: String?

        package init(userId: Int, login: String, playbookId: String, reason: String?) {
            self.userId = userId
            self.login = login
            self.playbookId = playbookId
            self.reason = reason
        }

        /// The user of a containment that got far enough to be worth watching (its sessions
        /// were reset, in this run or an earlier one).
        package init?(_ report: ContainmentReport, reason: String?) {
            guard let target = report.target,
                  report.steps.contains(where: { $0.step == .sessions && $0.status == .succeeded })
            else { return nil }
            self.init(userId: report.userId, login: target.login, playbookId: report.playbookId, reason: reason)
        }
    }

    /// What the watch tells as it goes.
    package enum Event: Sendable {
        /// A round of re-reads ended: `round` of `rounds`.
        case round(Int, of: Int)
        /// Open sessions appeared on a contained user (the observation is recorded).
        case sessionsSeen(Target, Observation)
        /// A re-read failed (the watch goes on).
        case readFailed(Target, ECGridError)
    }

    package let client: ECGridClient
    package let recorder: ActionRecorder
    /// Time between two rounds of re-reads, and how long the watch lasts.
    package var interval: Duration
    package var duration: Duration
    /// Waits between rounds; replaced in tests.
    package var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

    /// The defaults: every 30 seconds for 15 minutes.
    package static let defaultInterval = Duration.seconds(30)
    package static let defaultDuration = Duration.seconds(15 * 60)

    package init(client: ECGridClient, recorder: ActionRecorder, interval: Duration = defaultInterval, duration: Duration = defaultDuration) {
        self.client = client
        self.recorder = recorder
        self.interval = interval
        self.duration = duration
    }

    /// How many rounds the watch makes.
    package var rounds: Int { max(1, Int(duration / interval)) }

    /// Watches `targets` until the duration is over or the task is cancelled; returns the
    /// observations it recorded.
    @discardableResult
    package func run(_ targets: [Target], events: @escaping @Sendable (Event) -> Void = { _ in }) async -> [Observation] {
        var highest: [Int: Int] = [:]
        var seen: [Observation] = []
        for round in 1...rounds {
            do { try await sleep(interval) } catch { break }
            if Task.isCancelled { break }
            let reads = await targets.concurrentMap(limit: 8) { target -> (Target, Result<User, ECGridError>) in
                do {
                    return (target, .success(try await client.user(id: target.userId).value))
                } catch {
                    return (target, .failure(.wrapping(error)))
                }
            }
            for (target, read) in reads {
                switch read {
                case .failure(let error):
                    if error.kind != .cancelled { events(.readFailed(target, error)) }
                case .success(let user):
                    let open = user.openSessions ?? 0
                    guard open > (highest[target.userId] ?? 0) else { continue }
                    highest[target.userId] = open
                    let observation = Observation(
                        openSessions: open, liveKeys: nil, status: user.status?.rawValue,
                        note: "\(open) open session\(open == 1 ? "" : "s") again after the containment: someone logged in "
                            + "after the password change and the reset, so someone still holds a credential",
                        alarming: true)
                    _ = try? recorder.observation(
                        observation, action: "watch", target: TargetSnapshot(user), reason: target.reason,
                        playbook: PlaybookMark(id: target.playbookId, steps: [], step: "watch"))
                    seen.append(observation)
                    events(.sessionsSeen(target, observation))
                }
            }
            events(.round(round, of: rounds))
        }
        return seen
    }
}
