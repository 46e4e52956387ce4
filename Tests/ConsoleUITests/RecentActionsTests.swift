import ConsoleUI
import ECGridKit
import Foundation
import Testing

@Suite("Recent actions on a target, for the confirmation")
struct RecentActionsTests {
    func entry(_ user: Int, minutesAgo: Double, by who: String, reason: String?, status: ActionStatus = .succeeded, now: Date) -> HistoryItem {
        HistoryItem(
            time: ECGridDate(now.addingTimeInterval(-minutesAgo * 60)).text, actionName: "reset-sessions",
            target: HistoryItem.Target(userId: user), actor: HistoryItem.Actor(localUser: who, host: "jump1"),
            reason: reason, status: status)
    }

    @Test("actions on the target in the last hour, by anyone, newest first; older ones and other users are left out")
    func warnings() {
        let now = Date()
        let history = [
            entry(40011, minutesAgo: 3, by: "alice", reason: "INC-4711", now: now),
            entry(40011, minutesAgo: 20, by: "bob", reason: nil, status: .unknown, now: now),
            entry(40011, minutesAgo: 90, by: "carol", reason: "old", now: now),
            entry(40012, minutesAgo: 1, by: "dave", reason: "other user", now: now),
        ]
        let lines = RecentActions.warnings(for: [40011], in: history, now: now)
        #expect(lines == ["user 40011: reset 3 min ago by alice@jump1: INC-4711", "user 40011: reset 20 min ago by bob@jump1 (OUTCOME UNKNOWN)"])
        #expect(RecentActions.warnings(for: [40013], in: history, now: now).isEmpty)
    }
}
