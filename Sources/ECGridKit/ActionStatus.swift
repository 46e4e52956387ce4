/// Where one state-changing action stands, from the history record to the screen: the only
/// place these words are made. The console's header, response pane and history pane, the command
/// line's tables, `--json`, `history --outcome` and the history file all take them from here.
public enum ActionStatus: String, Sendable, CaseIterable, Codable {
    /// The intent is recorded and its process still runs: the answer has not come yet.
    case inFlight = "in-flight"
    /// The server confirmed the action.
    case succeeded
    /// The server answered that it did not act.
    case failed
    /// The request went out and no usable answer came back: the server may have acted.
    case unknown
    /// The request never left (refused before sending, or the target could not be re-read).
    case notSent = "not-sent"
    /// Only in a history read back: a discontinuity followed the intent, so its outcome record
    /// may have been cut. Never guessed.
    case missing

    /// The word as `--json` and the history write it: `succeeded`, `failed`, `unknown`, `not-sent`,
    /// `in-flight`, `missing`.
    public var word: String { rawValue }

    /// The word as a screen or a table shows it: `succeeded`, `FAILED`, `OUTCOME UNKNOWN`, `NOT SENT`.
    public var shown: String {
        switch self {
        case .succeeded: "succeeded"
        case .failed: "FAILED"
        case .unknown: "OUTCOME UNKNOWN"
        case .notSent: "NOT SENT"
        case .inFlight: "IN FLIGHT"
        case .missing: "OUTCOME MISSING (CUT)"
        }
    }

    /// True for the statuses an outcome record can hold (not in flight, not missing).
    public var isOutcome: Bool { self != .inFlight && self != .missing }

    /// One line that counts the outcomes of a batch, each kind named only when it occurred:
    /// `1 of 3 succeeded, 1 FAILED, 1 OUTCOME UNKNOWN`. A lost answer is never called a failure.
    public static func summary(_ words: [ActionStatus]) -> String {
        let succeeded = words.filter { $0 == .succeeded }.count
        var parts = ["\(succeeded) of \(words.count) succeeded"]
        for word in [ActionStatus.failed, .unknown, .notSent] {
            let count = words.filter { $0 == word }.count
            if count > 0 { parts.append("\(count) \(word.shown)") }
        }
        return parts.joined(separator: ", ")
    }
}

extension ActionOutcome {
    /// The outcome as a status (see `ActionStatus`).
    public var status: ActionStatus {
        succeeded ? .succeeded : !sent ? .notSent : outcomeUnknown ? .unknown : .failed
    }
}
