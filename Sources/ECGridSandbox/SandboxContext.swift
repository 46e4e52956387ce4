import Hummingbird

/// The request context of the sandbox's router: Hummingbird's own storage, plus the fault
/// `FaultMiddleware` decided for the request, which the middlewares inside it act on.
struct SandboxContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// No fault until `FaultMiddleware` decides (`/sandbox/faults` never gets one).
    var fault = FaultDecision()

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
    }

    /// The `:id` of the path, when it is a number; else the 400 ECGrid answers.
    func userID() throws(EnvelopeError) -> Int {
        guard let id = coreContext.parameters.get("id").flatMap({ Int($0) }) else { throw .badUserID }
        return id
    }
}
