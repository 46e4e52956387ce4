extension ECGridError.Kind {
    /// A few words for a person, where a code would go when the server sent none
    /// (`no answer in time`, never the internal name `timeout`).
    public var words: String {
        switch self {
        case .api: "refused by the server"
        case .unexpectedStatus: "unexpected HTTP status"
        case .malformedBody: "unreadable answer"
        case .emptyBody: "empty answer"
        case .bodyTooLarge: "answer too large"
        case .timeout: "no answer in time"
        case .connectionRefused: "connection refused"
        case .connectionDropped: "connection dropped"
        case .hostNotFound: "host not found"
        case .tlsFailure: "TLS handshake failed"
        case .insecureURL: "plain http to a remote host"
        case .invalidURL: "unusable base URL"
        case .missingCredentials: "no credential"
        case .invalidInput: "refused before sending"
        case .cancelled: "cancelled"
        case .transport: "transport failure"
        }
    }
}

extension ECGridError {
    /// The kind in words, told apart by whether the request left: a TLS stream broken after
    /// sending is no handshake failure, a time-out before sending no lost answer.
    public var words: String {
        switch kind {
        case .tlsFailure where requestSent: "TLS connection broke after sending"
        case .timeout where !requestSent: "no connection in time"
        case .connectionDropped where !requestSent: "connection dropped before sending"
        default: kind.words
        }
    }

    /// The server's error code, else the error in words: what a table cell or a summary shows.
    public var codeOrWords: String { errorCode.flatMap { $0.isEmpty ? nil : $0 } ?? words }
}
