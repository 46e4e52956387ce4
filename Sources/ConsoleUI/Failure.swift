import ECGridKit

/// A failure as the console shows it.
package struct Failure: Error, Sendable, Equatable {
    /// One line: what failed (`GET /v2/users/42 · HTTP 404 · ObjectNotFound`).
    package var summary: String
    /// What it means and what to do.
    package var explanation: String
    package var httpStatus: Int?
    package var errorCode: String?
    /// True when the operator's own login session ended or was revoked.
    package var needsLogin: Bool

    package init(summary: String, explanation: String, httpStatus: Int? = nil, errorCode: String? = nil, needsLogin: Bool = false) {
        self.summary = summary
        self.explanation = explanation
        self.httpStatus = httpStatus
        self.errorCode = errorCode
        self.needsLogin = needsLogin || errorCode == "InvalidSession"
    }

    package init(_ error: any Error) {
        if let error = error as? ECGridError {
            self.init(summary: (error.request.map { $0 + " · " } ?? "") + error.headline(separator: " · "), explanation: error.explanation,
                      httpStatus: error.httpStatus, errorCode: error.errorCode,
                      needsLogin: error.kind == .missingCredentials)
        } else {
            self.init(summary: "error", explanation: "\(error)")
        }
    }
}
