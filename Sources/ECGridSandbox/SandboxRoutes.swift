import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The sandbox's one `Router`: each path of ECGrid's REST v2 with the method it takes (any
/// other method on it is answered 405 with the method to use, a path the API does not have
/// 404, both as ECGrid envelopes), the fault switch, and the middlewares.
///
/// A route decodes the request (its ID, body and credential) and hands the inputs to the store;
/// what the store returns goes out in a success envelope, what it throws as its error envelope.
enum SandboxRoutes {
    /// The methods a path answers (the one it takes, or 405).
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .head, .options]

    /// The largest request body the sandbox reads.
    static let maxBody = 1 << 20

    /// The router of a sandbox over `store`, with the faults `injector` switches.
    ///
    /// The middlewares, outermost first: `FaultMiddleware` decides a request's fault, waits its
    /// latency and spoils the answer afterwards; `RequestLogMiddleware` logs what was answered,
    /// before any spoiling or stall; `FaultRefusalMiddleware` refuses (429, 500, 503, canned)
    /// so the store never sees the request; `EnvelopeErrorMiddleware` turns a thrown error
    /// envelope (and 404) into the answer the others see.
    static func router(store: SandboxStore, injector: FaultInjector) -> Router<SandboxContext> {
        let router = Router(context: SandboxContext.self)
        // Before the middlewares, which apply only to routes added after them: the switch itself
        // is never faulted or logged, so faults can always be switched off.
        faultSwitch(router, injector)
        router.add(middleware: FaultMiddleware(injector: injector))
        router.add(middleware: RequestLogMiddleware(store: store))
        router.add(middleware: FaultRefusalMiddleware())
        router.add(middleware: EnvelopeErrorMiddleware())
        authRoutes(router, store)
        userRoutes(router, store)
        containmentRoutes(router, store)
        return router
    }

    /// `GET /sandbox/faults` shows the switches; `PUT` (or `POST`) replaces them with a
    /// `FaultSettings` body, refusing a field it does not know with its name.
    static func faultSwitch(_ router: Router<SandboxContext>, _ injector: FaultInjector) {
        router.get("/sandbox/faults") { _, _ in Response.envelope(await injector.settings) }
        for method in [HTTPRequest.Method.put, .post] {
            router.on("/sandbox/faults", method: method) { request, _ -> Response in
                let body = Array(try await request.body.collect(upTo: maxBody).readableBytesView)
                let unknown = FaultSettings.unknownFields(in: body)
                guard unknown.isEmpty else {
                    return EnvelopeError(400, "InvalidParameter", "Unknown field(s): \(unknown.joined(separator: ", ")). "
                        + "A rule knows: \(FaultSettings.knownRuleFields.sorted().joined(separator: ", ")).").response
                }
                guard let settings = try? JSONDecoder().decode(FaultSettings.self, from: Data(body)) else {
                    return EnvelopeError(400, "InvalidParameter", "Body must be FaultSettings JSON.").response
                }
                await injector.replace(settings)
                return .envelope(await injector.settings)
            }
        }
    }

    static func authRoutes(_ router: Router<SandboxContext>, _ store: SandboxStore) {
        route(router, "/v2/auth/version", .get) { _, _ in .envelope("2.6.0-sandbox") }
        route(router, "/v2/auth/login", .post) { request, _ in
            let body = try await decode(LoginBody.self, request, orSay: "login and password are required.")
            guard let login = body.login ?? body.loginName, let password = body.password else {
                throw EnvelopeError(400, "InvalidParameter", "login and password are required.")
            }
            return .envelope(try await store.login(login, password: password))
        }
        route(router, "/v2/auth/refresh", .post) { request, _ in
            guard let token = try await decode(TokenBody.self, request, orSay: "token is required.").token else {
                throw EnvelopeError(400, "InvalidParameter", "token is required.")
            }
            return .envelope(try await store.refresh(token))
        }
        route(router, "/v2/auth/session", .post) { request, _ in
            .envelope(await store.sessionInfo(try await caller(request, store)))
        }
        route(router, "/v2/auth/logout", .post) { request, _ in
            try await store.logout(try await caller(request, store))
            return .envelope(Bool?.none, message: "Session terminated.")
        }
        route(router, "/v2/auth/password", .put) { request, _ in
            let caller = try await caller(request, store)
            let body = try await decode(OwnPasswordBody.self, request, orSay: "currentPassword and newPassword are required.")
            try await store.changeOwnPassword(caller, current: body.currentPassword, new: body.newPassword)
            return .envelope(Bool?.none, message: "Password updated successfully.")
        }
    }

    static func userRoutes(_ router: Router<SandboxContext>, _ store: SandboxStore) {
        route(router, "/v2/users/list", .post) { request, _ in
            let caller = try await caller(request, store)
            let query = try await decode(ListBody.self, request, orSay: "The body is not a valid list request.", ifEmpty: ListBody())
            return .json(status: 200, bytes: WireUserWriter.envelope(try await store.list(caller, query)))
        }
        route(router, "/v2/users/me", .get) { request, _ in
            let caller = try await caller(request, store)
            return .envelope(try await store.show(caller, caller.record.userId))
        }
        route(router, "/v2/users/by-name", .post) { request, _ in
            let caller = try await caller(request, store)
            let body = try await decode(ByNameBody.self, request, orSay: "login is required.")
            guard let login = body.login ?? body.loginName, !login.isEmpty else {
                throw EnvelopeError(400, "InvalidParameter", "login is required.")
            }
            return .json(status: 200, bytes: WireUserWriter.envelope(await store.byName(caller, login)))
        }
        route(router, "/v2/users/role", .post) { request, _ in
            let caller = try await caller(request, store)
            let change = try await decode(RoleBody.self, request, orSay: "userId and authLevel are required.")
            return .envelope(try await store.role(caller, change))
        }
        route(router, "/v2/users/reset/:id", .post) { request, context in
            let id = try context.userID()
            return .envelope(try await store.reset(try await caller(request, store), id))
        }
        route(router, "/v2/users/key-generate/:id", .post) { request, context in
            let id = try context.userID()
            return .envelope(try await store.generateKey(try await caller(request, store), id))
        }
        route(router, "/v2/users/key/:id", .get) { request, context in
            let id = try context.userID()
            return .envelope(try await store.showKey(try await caller(request, store), id))
        }
        // `/v2/users/{id}`: GET shows, DELETE terminates; the ID is checked before the method.
        for method in methods {
            router.on("/v2/users/:id", method: method) { request, context -> Response in
                let id = try context.userID()
                switch method {
                case .get: return .envelope(try await store.show(try await caller(request, store), id))
                case .delete: return .envelope(try await store.terminate(try await caller(request, store), id))
                default: throw EnvelopeError(405, "InvalidParameter", "\(method.rawValue) is not allowed on \(request.uri.path).")
                }
            }
            // Without an ID these would match no route at all (the trie does not fall back to
            // `:id`): they are IDs that are not numbers.
            for path in ["/v2/users/reset", "/v2/users/key-generate", "/v2/users/key"] {
                router.on(RouterPath(path), method: method) { _, _ -> Response in throw EnvelopeError.badUserID }
            }
        }
    }

    /// The containment calls: passwords, API keys, SMS.
    static func containmentRoutes(_ router: Router<SandboxContext>, _ store: SandboxStore) {
        route(router, "/v2/users/generate-password", .post) { request, _ in
            let caller = try await caller(request, store)
            let body = try await decode(
                GeneratePasswordBody.self, request, orSay: "length must be a number.", ifEmpty: GeneratePasswordBody())
            return .envelope(try await store.generatePassword(caller, length: body.length))
        }
        route(router, "/v2/users/password", .post) { request, _ in
            let caller = try await caller(request, store)
            let body = try await decode(PasswordBody.self, request, orSay: "userId and newPassword are required.")
            return .envelope(try await store.setPassword(caller, body.userId, body.newPassword))
        }
        route(router, "/v2/keys/list", .post) { request, _ in
            let caller = try await caller(request, store)
            let body = try await decode(KeysBody.self, request, orSay: "userId is required.")
            let visibility = try body.visibility.map(SandboxKey.Visibility.parse)
            return .envelope(try await store.listKeys(caller, body.userId, visibility: visibility))
        }
        route(router, "/v2/keys/get-key", .post) { request, _ in
            let caller = try await caller(request, store)
            let body = try await decode(KeysBody.self, request, orSay: "userId is required.")
            return .envelope(try await store.primaryKey(caller, body.userId))
        }
        route(router, "/v2/keys/create", .post) { request, _ in
            let caller = try await caller(request, store)
            let body = try await decode(KeysBody.self, request, orSay: "userId and visibility are required.")
            let visibility = try SandboxKey.Visibility.parse(body.visibility ?? "")
            return .envelope(try await store.createKey(caller, body.userId, visibility: visibility))
        }
        // The one DELETE with a JSON body, as the docs have it.
        route(router, "/v2/keys", .delete) { request, _ in
            let caller = try await caller(request, store)
            let body = try await decode(KeyIDBody.self, request, orSay: "keyId is required.")
            return .envelope(try await store.deleteKey(caller, body.keyId))
        }
        route(router, "/v2/users/send-sms", .post) { request, _ in
            let caller = try await caller(request, store)
            let body = try await decode(SMSBody.self, request, orSay: "userId and message are required.")
            return .envelope(try await store.sendSMS(caller, body.userId, body.message))
        }
    }

    /// `path` answers `method` with `handler`; every other method gets 405 naming `method`.
    static func route(
        _ router: Router<SandboxContext>, _ path: RouterPath, _ method: HTTPRequest.Method,
        _ handler: @escaping @Sendable (Request, SandboxContext) async throws -> Response
    ) {
        router.on(path, method: method, use: handler)
        for other in methods where other != method {
            router.on(path, method: other) { request, _ -> Response in
                throw EnvelopeError(405, "InvalidParameter", "\(other.rawValue) is not allowed on \(request.uri.path); use \(method.rawValue).")
            }
        }
    }

    /// The caller of `request`, authenticated by the store from its headers.
    static func caller(_ request: Request, _ store: SandboxStore) async throws(EnvelopeError) -> SandboxStore.Caller {
        try await store.authenticate(SandboxCredential(request.headers))
    }

    /// The JSON body of `request` (`ifEmpty` when there is none and that is allowed), else 400
    /// saying `message`.
    static func decode<Body: Decodable>(
        _ type: Body.Type, _ request: Request, orSay message: String, ifEmpty: Body? = nil
    ) async throws -> Body {
        let bytes = try await request.body.collect(upTo: maxBody)
        if bytes.readableBytes == 0, let ifEmpty { return ifEmpty }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(bytes.readableBytesView)) else {
            throw EnvelopeError(400, "InvalidParameter", message)
        }
        return body
    }
}
