import ECGridKit

/// A failure as the console shows it.
public struct Failure: Error, Sendable, Equatable {
    /// One line: what failed (`GET /v2/users/42 · HTTP 404 · ObjectNotFound`).
    public var summary: String
    /// What it means and what to do.
    public var explanation: String
    public var httpStatus: Int?
    public var errorCode: String?
    /// True when the operator's own login session ended or was revoked.
    public var needsLogin: Bool

    public init(summary: String, explanation: String, httpStatus: Int? = nil, errorCode: String? = nil, needsLogin: Bool = false) {
        self.summary = summary
        self.explanation = explanation
        self.httpStatus = httpStatus
        self.errorCode = errorCode
        self.needsLogin = needsLogin || errorCode == "InvalidSession"
    }

    public init(_ error: any Error) {
        if let error = error as? ECGridError {
            self.init(summary: (error.request.map { $0 + " · " } ?? "") + error.headline(separator: " · "), explanation: error.explanation,
                      httpStatus: error.httpStatus, errorCode: error.errorCode,
                      needsLogin: error.kind == .missingCredentials)
        } else {
            self.init(summary: "error", explanation: "\(error)")
        }
    }
}
