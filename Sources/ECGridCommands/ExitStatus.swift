import ECGridKit

/// Exit statuses of the command line.
package enum ExitStatus {
    /// Every requested action succeeded.
    package static let success: Int32 = 0
    /// At least one request failed at the server or on the way.
    package static let failure: Int32 = 1
    /// Refused before anything was sent: bad input, no credential, not confirmed, read-only,
    /// a history that cannot be written.
    package static let refused: Int32 = 2
    /// A usage error: an unknown option, a missing argument (from the argument parser).
    package static let usage: Int32 = 64

    /// The lines `--help` shows.
    package static let help = "Exit status: 0 every requested action succeeded; 1 an action failed, or its outcome is "
        + "unknown; 2 refused before anything was sent (bad input, no credential, not confirmed, read-only, "
        + "a history that cannot be written); 64 usage error. With --json, a failure prints {\"error\": {...}} "
        + "on standard output."

    /// The status of a command that failed with `error`: 2 when it was refused before anything
    /// was sent (no credential, an unusable URL, bad input), else 1.
    package static func code(for error: ECGridError) -> Int32 {
        switch error.kind {
        case .missingCredentials, .invalidURL, .insecureURL, .invalidInput: refused
        default: failure
        }
    }

    /// The status of a run of actions: 1 when one was sent and failed or its outcome is
    /// unknown (or its outcome could not be recorded), else 2 when one was refused before
    /// sending, else 0. A target whose re-read failed at the server counts as failed.
    package static func code(for outcomes: [ActionOutcome], historyFailed: Bool = false) -> Int32 {
        if historyFailed { return failure }
        var worst = success
        for outcome in outcomes {
            switch outcome.status {
            case .succeeded: continue
            case .failed, .unknown, .inFlight, .missing: return failure
            case .notSent:
                let code = outcome.error.map(code(for:)) ?? failure
                if code == failure { return failure }
                worst = refused
            }
        }
        return worst
    }
}
