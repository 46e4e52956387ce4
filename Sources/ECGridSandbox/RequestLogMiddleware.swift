import Hummingbird

/// Records each API request (method, path, status) in the store's log once the store (or a
/// fault refusing it) answered: before any fault spoils or holds back the answer, so the log
/// says what the sandbox did, and a test sees a request the moment it was acted on.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    let store: SandboxStore

    func handle(_ request: Request, context: SandboxContext, next: (Request, SandboxContext) async throws -> Response)
        async throws -> Response
    {
        do {
            let response = try await next(request, context)
            await store.record(request.method.rawValue, request.uri.path, response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            // An error Hummingbird answers itself (a body over the size limit, say).
            await store.record(request.method.rawValue, request.uri.path, error.status.code)
            throw error
        }
    }
}
