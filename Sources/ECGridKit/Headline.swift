/// The one "HTTP status + error code" line (`HTTP 403 AccessDenied`): what a table cell, a
/// response pane, a history entry or a failure's summary shows first about an answer.
public enum Headline {
    /// The status and the code (or the error in words) after it, each only when known, joined
    /// by `separator`.
    public static func text(httpStatus: Int?, code: String?, separator: String = " ") -> String {
        [httpStatus.map { "HTTP \($0)" }, code].compactMap { $0 }.joined(separator: separator)
    }
}

extension ECGridError {
    /// `HTTP 403 AccessDenied`, or `HTTP 503 server error`, or the words alone when no HTTP
    /// answer came (`no answer in time`).
    public func headline(separator: String = " ") -> String {
        Headline.text(httpStatus: httpStatus, code: codeOrWords, separator: separator)
    }
}
