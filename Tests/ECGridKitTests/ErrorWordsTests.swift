import ECGridKit
import Testing

@Suite("Error messages use words, not internal names")
struct ErrorWordsTests {
    @Test("no kind's internal name leads a message", arguments: [
        ECGridError.Kind.missingCredentials, .invalidURL, .insecureURL, .invalidInput, .timeout, .connectionRefused,
    ])
    func noInternalNames(kind: ECGridError.Kind) {
        let error = ECGridError(kind)
        #expect(!error.description.contains(kind.rawValue + ":"))
        #expect(error.description == error.explanation)
        #expect(error.codeOrWords == kind.words)
    }
}
