import ConsoleUI
import ECGridKit
import IncidentLog

/// The console's one way to change anything on the server.
extension EffectRunner {
    /// Performs `action` on each user, up to four at once, each recorded before it is sent;
    /// the reports come back in the order the users were given.
    func perform(_ action: UserAction, on ids: [Int], reason: String?) async -> [ActionReport] {
        var reports: [ActionReport] = []
        for chunk in stride(from: 0, to: ids.count, by: 4).map({ Array(ids[$0..<min($0 + 4, ids.count)]) }) {
            let batch = await withTaskGroup(of: (Int, ActionReport).self) { group in
                for (offset, id) in chunk.enumerated() {
                    group.addTask { (offset, await self.performOne(action, userId: id, reason: reason)) }
                }
                return await group.reduce(into: [(Int, ActionReport)]()) { $0.append($1) }
            }
            reports += batch.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return reports
    }

    /// One user: record the intent, send, record the outcome. The only call into the recorder's
    /// pipeline, so replacing it changes this one place.
    func performOne(_ action: UserAction, userId: Int, reason: String?) async -> ActionReport {
        let recorded = await client.performRecorded(action, userId: userId, reason: reason, recorder: recorder)
        return ActionReport(recorded, reason: reason)
    }
}
