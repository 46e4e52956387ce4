import Foundation
import Testing

/// The figures a reliability test prints at its end: cases tried, passed, failed, and records
/// lost. `scripts/soak` collects these lines into one table. Each failed case is also an issue
/// of its own, with what went wrong.
struct ReliabilityFigures: Sendable {
    let area: String
    private(set) var tried = 0
    private(set) var failed: [String] = []
    var recordsLost = 0

    init(_ area: String) { self.area = area }

    var passed: Int { tried - failed.count }

    /// Counts a case: passed when `problems` is empty.
    mutating func record(_ name: String, problems: [String]) {
        tried += 1
        if !problems.isEmpty {
            failed.append(name)
            Issue.record(Comment(rawValue: "\(area) · \(name): \(problems.joined(separator: "; "))"))
        }
    }

    /// Prints the figures; call once, at the end.
    func report() {
        print("RELIABILITY | \(area) | cases \(tried) | passed \(passed) | failed \(failed.count) | records lost \(recordsLost)")
    }

    /// How many times to repeat randomised cases: more under `scripts/soak` (ECGRID_SOAK=1).
    static func runs(ci: Int, soak: Int) -> Int {
        ProcessInfo.processInfo.environment["ECGRID_SOAK"] == "1" ? soak : ci
    }
}
