import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// What a route of the sandbox sees: the request as the API logic takes it, and the store
/// that answers it.
struct SandboxContext: RequestContext {
    struct Source: RequestContextSource {
        var logger: Logger
        var request: SandboxRequest
        var store: SandboxStore
    }

    var coreContext: CoreRequestContextStorage
    let request: SandboxRequest
    let store: SandboxStore

    init(source: Source) {
        coreContext = CoreRequestContextStorage(source: source)
        request = source.request
        store = source.store
    }

    /// The `:id` of the path, when it is a number.
    var targetId: Int? { coreContext.parameters.get("id").flatMap { Int($0) } }
}

/// The sandbox's API routes, on Hummingbird's `Router`: each path of ECGrid's REST v2 with the
/// method it takes; any other method on it is answered 405 with the method to use, a path the
/// API does not have 404 (both as ECGrid envelopes). The HTTP server and the in-process handler
/// (`SandboxStore.handle`) dispatch through the same routes.
enum SandboxRoutes {
    /// The methods a path answers (the one it takes, or 405).
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .head, .options]

    static let responder: RouterResponder<SandboxContext> = {
        let router = Router(context: SandboxContext.self)
        router.add(middleware: NoSuchEndpoint())
        route(router, "/v2/auth/version", .get) { _ in .version }
        route(router, "/v2/auth/login", .post) { _ in .login }
        route(router, "/v2/auth/refresh", .post) { _ in .refresh }
        route(router, "/v2/auth/session", .post) { _ in .session }
        route(router, "/v2/auth/logout", .post) { _ in .logout }
        route(router, "/v2/users/list", .post) { _ in .list }
        route(router, "/v2/users/me", .get) { _ in .me }
        route(router, "/v2/users/by-name", .post) { _ in .byName }
        route(router, "/v2/users/role", .post) { _ in .role }
        route(router, "/v2/users/reset/:id", .post) { $0.targetId.map(SandboxStore.Call.reset) }
        route(router, "/v2/users/key-generate/:id", .post) { $0.targetId.map(SandboxStore.Call.generateKey) }
        route(router, "/v2/users/key/:id", .get) { $0.targetId.map(SandboxStore.Call.showKey) }
        userRoutes(router)
        return router.buildResponder()
    }()

    /// `path` answers `method` with the call `call` names (nil: the ID is not a number, 400);
    /// every other method gets 405 naming `method`.
    static func route(
        _ router: Router<SandboxContext>, _ path: RouterPath, _ method: HTTPRequest.Method,
        _ call: @escaping @Sendable (SandboxContext) -> SandboxStore.Call?
    ) {
        for other in methods {
            router.on(path, method: other) { _, context -> RoutedReply in
                guard other == method else {
                    return RoutedReply(.fail(
                        405, "InvalidParameter", "\(other.rawValue) is not allowed on \(context.request.path); use \(method.rawValue)."))
                }
                guard let call = call(context) else { return RoutedReply(.badID) }
                return RoutedReply(await context.store.answer(call, context.request))
            }
        }
    }

    /// `/v2/users/{id}`: GET shows, DELETE terminates; the ID is checked before the method.
    /// `/v2/users/reset` and its siblings without an ID are IDs that are not numbers.
    static func userRoutes(_ router: Router<SandboxContext>) {
        for method in methods {
            router.on("/v2/users/:id", method: method) { _, context -> RoutedReply in
                guard let id = context.targetId else { return RoutedReply(.badID) }
                switch method {
                case .get: return RoutedReply(await context.store.answer(.show(id), context.request))
                case .delete: return RoutedReply(await context.store.answer(.terminate(id), context.request))
                default: return RoutedReply(.fail(405, "InvalidParameter", "\(method.rawValue) is not allowed on \(context.request.path)."))
                }
            }
            for path in ["/v2/users/reset", "/v2/users/key-generate", "/v2/users/key"] {
                router.on(RouterPath(path), method: method) { _, _ in RoutedReply(.badID) }
            }
        }
    }

    private static let logger: Logger = {
        var logger = Logger(label: "ecgrid.sandbox.routes")
        logger.logLevel = .critical
        return logger
    }()

    /// Answers `request` through the routes.
    static func dispatch(_ request: SandboxRequest, store: SandboxStore) async -> SandboxReply {
        guard let method = HTTPRequest.Method(request.method) else { return .noSuchEndpoint }
        let head = HTTPRequest(method: method, scheme: nil, authority: nil, path: request.path)
        let context = SandboxContext(source: .init(logger: logger, request: request, store: store))
        do {
            let response = try await responder.respond(to: Request(head: head, body: RequestBody(buffer: ByteBuffer())), context: context)
            let collected = BodyCollector()
            try await response.body.write(collected)
            return SandboxReply(status: response.status.code, body: collected.bytes)
        } catch {
            return .fail(500, "InternalError", "Internal error.")
        }
    }
}

extension SandboxReply {
    static let noSuchEndpoint = SandboxReply.fail(404, "ObjectNotFound", "No such endpoint.")
    static let badID = SandboxReply.fail(400, "InvalidParameter", "User ID must be a number.")
}

/// A reply as a route's answer.
struct RoutedReply: ResponseGenerator {
    var reply: SandboxReply

    init(_ reply: SandboxReply) { self.reply = reply }

    func response(from request: Request, context: some RequestContext) throws -> Response { SandboxServer.make(reply) }
}

/// A path the API does not have: 404 as an ECGrid envelope (Hummingbird's own would be bare).
struct NoSuchEndpoint: RouterMiddleware {
    typealias Context = SandboxContext

    func handle(
        _ request: Request, context: SandboxContext, next: (Request, SandboxContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return SandboxServer.make(.noSuchEndpoint)
        }
    }
}

/// Collects a response body written in-process.
final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    // Written by one body writer at a time, read after it finished.
    private(set) var bytes: [UInt8] = []

    func write(_ buffer: ByteBuffer) async throws { bytes.append(contentsOf: buffer.readableBytesView) }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
