/// The one way the tool puts an HTTP status beside an error code: `HTTP 403 AccessDenied`,
/// `HTTP 500`, `AccessDenied`, or nothing when neither is known. Tables, the progress line's
/// retries, the console's panes and the command line's reports all take it from here.
public enum Headline {
    /// `HTTP <status> <code>`, each part only when known (an empty code counts as none), joined
    /// by `separator` (the console's panes use ` · `).
    public static func of(httpStatus: Int?, code: String?, separator: String = " ") -> String {
        [httpStatus.map { "HTTP \($0)" }, code.flatMap { $0.isEmpty ? nil : $0 }].compactMap { $0 }.joined(separator: separator)
    }
}

extension ECGridError {
    /// The status and the server's code, else the failure in words: `HTTP 403 AccessDenied`,
    /// `HTTP 502 unreadable answer`, `connection refused`.
    public var headline: String { Headline.of(httpStatus: httpStatus, code: codeOrWords) }

    /// The same, joined by `separator`.
    public func headline(separator: String) -> String {
        Headline.of(httpStatus: httpStatus, code: codeOrWords, separator: separator)
    }

    /// The status and the server's code only (empty when the server sent neither).
    public var codeHeadline: String { Headline.of(httpStatus: httpStatus, code: errorCode) }
}

extension ExchangeRecord {
    /// The answer's status and code: `HTTP 200`, `HTTP 403 AccessDenied`.
    public var headline: String { Headline.of(httpStatus: httpStatus, code: errorCode) }
}
