import ECGridKit
import Foundation

/// Warnings for a confirmation: actions on the same users in the last hour, by anyone whose
/// actions are in the history (a team's shared history holds everyone's).
package enum RecentActions {
    /// How far back an action counts as recent.
    package static let window: TimeInterval = 3600

    /// One line per recent action on `userIds`, newest first, at most `limit`:
    /// `user 40011: reset 3 min ago by alice@jump1: INC-4711`.
    package static func warnings(for userIds: [Int], in history: [HistoryItem], now: Date = Date(), limit: Int = 3) -> [String] {
        let targets = Set(userIds)
        let recent = history.compactMap { entry -> (Date, HistoryItem)? in
            guard let id = entry.target?.userId, targets.contains(id), let time = ECGridDate.parse(entry.time) else { return nil }
            let age = now.timeIntervalSince(time)
            return age >= -60 && age <= window ? (time, entry) : nil
        }.sorted { $0.0 > $1.0 }
        return recent.prefix(limit).map { time, entry in
            let minutes = max(0, Int((now.timeIntervalSince(time) / 60).rounded()))
            var line = "user \(entry.target?.userId ?? 0): \(entry.verb) \(minutes == 0 ? "just now" : "\(minutes) min ago") "
                + "by \(entry.actor.localUser)@\(entry.actor.host)"
            if let reason = entry.reason, !reason.isEmpty { line += ": \(reason)" }
            if entry.status != .succeeded {
                line += " (\(entry.status.shown))"
            }
            return line
        }
    }
}
