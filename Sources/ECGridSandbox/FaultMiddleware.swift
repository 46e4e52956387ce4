import HTTPTypes
import Hummingbird
import NIOCore

/// Decides the fault of each API request and spoils the answer when the fault says the store
/// acts first: the outermost of the sandbox's middlewares.
///
/// It waits the latency, hands the decision on in the context (`FaultRefusalMiddleware`
/// refuses there, inside the request log, so the log records the refusal's status), and once
/// the store answered (and the log recorded it), spoils the answer: broken or foreign bodies,
/// a cut or stalled answer, or the mark that tells `ConnectionFaultHandler` to break the
/// connection itself.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    let injector: FaultInjector

    /// The header that tells `ConnectionFaultHandler` which connection fault to carry out.
    static let marker = HTTPField.Name("x-ecgrid-sandbox-fault")

    func handle(_ request: Request, context: SandboxContext, next: (Request, SandboxContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        context.fault = await injector.decide(method: request.method.rawValue, path: request.uri.path)
        if context.fault.latency > .zero { try? await Task.sleep(for: context.fault.latency) }
        let response = try await next(request, context)
        guard let fault = context.fault.fault, !fault.refusesBeforeActing else { return response }
        return await Self.spoil(response, fault, context.fault)
    }

    /// The answer of a request the store acted on, spoiled as `fault` says.
    static func spoil(_ response: Response, _ fault: FaultKind, _ decision: FaultDecision) async -> Response {
        var response = response
        switch fault {
        case .malformed:
            response.body = ResponseBody(byteBuffer: ByteBuffer(string: #"{"success": true, "data": [{"userId": 4"#))
        case .html:
            response.status = .badGateway
            response.headers[.contentType] = "text/html"
            response.body = ResponseBody(byteBuffer: ByteBuffer(string: "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"))
        case .empty:
            response.status = .ok
            response.body = ResponseBody(byteBuffer: ByteBuffer())
        case .oversized:
            response = .envelope(String(repeating: "x", count: 20 << 20))
        case .drop, .dropMidBody:
            let whole = response.body
            let length = whole.contentLength ?? 0
            let allowance = fault == .drop ? 0 : length / 2
            response.body = ResponseBody(contentLength: length) { writer in
                try await whole.write(CuttingWriter(base: writer, allowance: allowance))
            }
        case .closeNoNotify, .brokenRecord, .resetAfterRequest:
            if let marker { response.headers[marker] = fault.rawValue }
        case .stallAfterRequest:
            try? await Task.sleep(for: decision.stall)
        case .rateLimited, .serverError, .unavailable, .slow, .canned:
            break
        }
        return response
    }
}

/// Answers the requests whose fault refuses them (rate limit, 500, 503, a canned answer)
/// without letting them reach the store.
struct FaultRefusalMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    func handle(_ request: Request, context: SandboxContext, next: (Request, SandboxContext) async throws -> Response)
        async throws -> Response
    {
        let decision = context.fault
        switch decision.fault {
        case .canned?:
            return Response(
                status: .init(code: decision.cannedStatus), headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: decision.cannedBody)))
        case .rateLimited?:
            var response = EnvelopeError(429, "RateLimitExceeded", "Too many requests.").response
            response.headers[.retryAfter] = String(decision.retryAfter)
            return response
        case .serverError?:
            return EnvelopeError.internalError.response
        case .unavailable?:
            return EnvelopeError(503, "InternalError", "Service unavailable.").response
        default:
            return try await next(request, context)
        }
    }
}

/// Passes a body through until `allowance` bytes went out, then cuts the connection (the
/// `drop` faults): the answer's head promised the whole body.
struct CuttingWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    var allowance: Int

    mutating func write(_ buffer: ByteBuffer) async throws {
        guard buffer.readableBytes < allowance else {
            if allowance > 0 { try await base.write(buffer.getSlice(at: buffer.readerIndex, length: allowance) ?? ByteBuffer()) }
            throw SandboxDroppedConnection()
        }
        allowance -= buffer.readableBytes
        try await base.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws { throw SandboxDroppedConnection() }
}

/// Thrown inside a response body to cut the connection (the `drop` faults).
struct SandboxDroppedConnection: Error {}
