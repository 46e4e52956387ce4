import ECGridSandbox
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// What the sandbox answered a router test: status, headers, and the body as text and as an
/// envelope.
struct SandboxAnswer: Sendable {
    var status: Int
    var headers: HTTPFields
    var bytes: [UInt8]
    var text: String { String(decoding: bytes, as: UTF8.self) }

    struct Envelope<Payload: Decodable>: Decodable {
        var success: Bool
        var data: Payload?
        var errorCode: String?
        var message: String?
    }

    /// The envelope's `errorCode` (nil on success or when the body is no envelope).
    var errorCode: String? { (try? envelope(Bool?.self))?.errorCode.flatMap { $0.isEmpty ? nil : $0 } }

    /// The envelope, its data read as `Payload`.
    func envelope<Payload: Decodable>(_ type: Payload.Type) throws -> Envelope<Payload> {
        try JSONDecoder().decode(Envelope<Payload>.self, from: Data(text.utf8))
    }

    /// The envelope's data as `Payload`; throws when there is none.
    func data<Payload: Decodable>(_ type: Payload.Type) throws -> Payload {
        guard let data = try envelope(Payload.self).data else { throw NoData(text: text) }
        return data
    }

    struct NoData: Error { var text: String }
}

extension TestClientProtocol {
    /// One API call: `method` on `path`, with an API key or a bearer token, and a JSON body.
    func ask(
        _ method: HTTPRequest.Method, _ path: String, key: String? = nil, bearer: String? = nil, json: String? = nil
    ) async throws -> SandboxAnswer {
        var headers = HTTPFields()
        if let key, let name = HTTPField.Name("x-api-key") { headers[name] = key }
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return SandboxAnswer(status: response.status.code, headers: response.headers, bytes: Array(response.body.readableBytesView))
    }
}

/// A sandbox of `users` users with `faults`, and its router answering in-process (HummingbirdTesting's
/// `.router`: no network), for the length of `body`.
func withSandboxRouter<T: Sendable>(
    users: Int = 20, faults: FaultSettings = FaultSettings(),
    _ body: @Sendable (SandboxStore, any TestClientProtocol) async throws -> T
) async throws -> T {
    let store = await SandboxStore(userCount: users, initialSessions: false)
    return try await SandboxServer.application(store: store, faults: faults).test(.router) { client in
        try await body(store, client)
    }
}
