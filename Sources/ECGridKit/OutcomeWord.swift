/// The outcome of one state-changing action in one word: the only place these words are made.
/// The console's header, response pane and history pane, the command line's tables, `--json`
/// and the history all take them from here.
public enum OutcomeWord: String, Sendable, CaseIterable, Codable {
    /// The server confirmed the action.
    case succeeded
    /// The server answered that it did not act.
    case failed
    /// The request went out and no usable answer came back: the server may have acted.
    case unknown
    /// The request never left (refused before sending, or the target could not be re-read).
    case notSent = "not-sent"

    /// The word as `--json` and the history write it: `succeeded`, `failed`, `unknown`, `not-sent`.
    public var word: String { rawValue }

    /// The word as a screen or a table shows it: `succeeded`, `FAILED`, `OUTCOME UNKNOWN`, `NOT SENT`.
    public var shown: String {
        switch self {
        case .succeeded: "succeeded"
        case .failed: "FAILED"
        case .unknown: "OUTCOME UNKNOWN"
        case .notSent: "NOT SENT"
        }
    }

    /// One line that counts the outcomes of a batch, each kind named only when it occurred:
    /// `1 of 3 succeeded, 1 FAILED, 1 OUTCOME UNKNOWN`. A lost answer is never called a failure.
    public static func summary(_ words: [OutcomeWord]) -> String {
        let succeeded = words.filter { $0 == .succeeded }.count
        var parts = ["\(succeeded) of \(words.count) succeeded"]
        for word in [OutcomeWord.failed, .unknown, .notSent] {
            let count = words.filter { $0 == word }.count
            if count > 0 { parts.append("\(count) \(word.shown)") }
        }
        return parts.joined(separator: ", ")
    }
}

extension ActionOutcome {
    /// The outcome in one word (see `OutcomeWord`).
    public var word: OutcomeWord {
        succeeded ? .succeeded : !sent ? .notSent : outcomeUnknown ? .unknown : .failed
    }
}
