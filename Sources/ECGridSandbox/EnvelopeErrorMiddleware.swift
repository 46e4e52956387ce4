import Hummingbird

/// Turns a call's failure into its ECGrid error envelope inside the router, where the request
/// log and the faults see it as an answer: an `EnvelopeError` thrown by the store or a route,
/// and a path the API does not have (Hummingbird's own 404 would be bare).
struct EnvelopeErrorMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    func handle(_ request: Request, context: SandboxContext, next: (Request, SandboxContext) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as EnvelopeError {
            return error.response
        } catch let error as HTTPError where error.status == .notFound {
            return EnvelopeError.noSuchEndpoint.response
        }
    }
}
