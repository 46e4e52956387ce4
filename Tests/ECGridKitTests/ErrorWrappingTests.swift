import ECGridKit
import Testing

@Suite("ECGridError.wrapping: the one rule for any error")
struct ErrorWrappingTests {
    struct Secretive: Error, CustomStringConvertible {
        var description: String { "token sbx_secret_value" }
    }

    @Test("an ECGridError is itself")
    func keepsItself() {
        let error = ECGridError(.timeout, httpStatus: nil, detail: "no answer", attempts: 3, request: "GET /v2/users/me")
        #expect(ECGridError.wrapping(error) == error)
    }

    @Test("a CancellationError is .cancelled")
    func cancellation() {
        let wrapped = ECGridError.wrapping(CancellationError())
        #expect(wrapped.kind == .cancelled)
        #expect(wrapped.requestSent, "cancelled after the request may have left: not proven unsent")
    }

    @Test("anything else is a transport failure naming its type, never its text")
    func others() {
        let wrapped = ECGridError.wrapping(Secretive())
        #expect(wrapped.kind == .transport)
        #expect(wrapped.detail == "Secretive")
        #expect(!wrapped.description.contains("sbx_secret_value") && !wrapped.detail.contains("sbx_secret_value"))
    }
}
