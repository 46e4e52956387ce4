import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The envelope as the sandbox writes it: every key present, as ECGrid sends them.
struct OutEnvelope<Payload: Encodable>: Encodable {
    var success: Bool
    var data: Payload
    var errorCode: String
    var message: String

    enum CodingKeys: String, CodingKey { case success, data, errorCode, message }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(success, forKey: .success)
        try c.encode(data, forKey: .data)
        try c.encode(errorCode, forKey: .errorCode)
        try c.encode(message, forKey: .message)
    }
}

/// A call that failed, as ECGrid answers it: an HTTP status and an error envelope. The store
/// and the routes throw it; `EnvelopeErrorMiddleware` turns it into the response, inside the
/// fault and log middlewares, so they see it like any other answer.
struct EnvelopeError: HTTPResponseError {
    var status: HTTPResponse.Status
    var errorCode: String
    var message: String

    init(_ status: Int, _ errorCode: String, _ message: String) {
        self.status = HTTPResponse.Status(code: status)
        self.errorCode = errorCode
        self.message = message
    }

    func response(from request: Request, context: some RequestContext) -> Response { response }

    var response: Response {
        .json(status: status.code, OutEnvelope<Bool?>(success: false, data: nil, errorCode: errorCode, message: message))
    }

    static let noSuchEndpoint = EnvelopeError(404, "ObjectNotFound", "No such endpoint.")
    static let badUserID = EnvelopeError(400, "InvalidParameter", "User ID must be a number.")
    static let internalError = EnvelopeError(500, "InternalError", "Internal error.")
}

extension Response {
    /// A success envelope around `data`.
    static func envelope(_ data: some Encodable, message: String = "") -> Response {
        .json(status: 200, OutEnvelope(success: true, data: data, errorCode: "", message: message))
    }

    /// `value` as JSON with `status`.
    static func json(status: Int, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Every value the sandbox encodes is plain data; should one ever fail, the client still
        // gets an envelope it can read.
        let bytes = (try? encoder.encode(value)).map(Array.init) ?? Array(#"{"success":false,"data":null}"#.utf8)
        return json(status: status, bytes: bytes)
    }

    /// A JSON body of `bytes`, written elsewhere (`WireUserWriter`).
    static func json(status: Int, bytes: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
