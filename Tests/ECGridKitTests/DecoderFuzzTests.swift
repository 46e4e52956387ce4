import ECGridKit
import Foundation
import Synchronization
import Testing

/// A transport that answers every request with the next of a list of bodies.
final class CannedTransport: HTTPTransport {
    private let answers = Mutex<[TransportResponse]>([])

    func load(_ responses: [TransportResponse]) { answers.withLock { $0 = responses } }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let next = answers.withLock { list in list.isEmpty ? nil : list.removeFirst() }
        guard let next else { throw ECGridError(.connectionRefused, detail: "no canned answer") }
        if next.body.count > request.maxBodyBytes { throw ECGridError(.bodyTooLarge, httpStatus: next.status) }
        return next
    }
}

@Suite("Decoding fuzzed bodies: a clear error or a value, never a trap")
struct DecoderFuzzTests {
    static let seeds: [String] = [
        #"{"success": true, "data": [{"userId": 40011, "login": "ann", "email": "a@x.example", "firstName": "Ann", "lastName": "Lee", "networkId": 10, "mailboxId": 0, "authLevel": "NetworkUser", "status": "Active", "created": "2024-03-15T10:22:00.1234567Z", "openSessions": 2, "lockoutStatus": false, "timeOut": 900}]}"#,
        #"{"success": true, "data": {"userId": "7", "loginName": "bob", "created": "2024-03-15T12:22:00+02:00", "unknown": {"a": [1, 2, {"b": null}]}}}"#,
        #"{"success": false, "data": null, "errorCode": "AccessDenied", "message": "No."}"#,
        #"{"success": true, "data": true}"#,
        #"{"success": true, "data": "sbx_0123456789abcdef"}"#,
        #"{"success": true, "data": {"token": "eyJ.x.y", "expiresAt": "2024-03-15T10:22:00Z", "userId": 5}}"#,
    ]

    static let fragments: [String] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\\u0000", "null", "true", "false", "-", "1e400", "-0",
        "99999999999999999999999", "\"userId\"", "\"data\"", "\"success\"", "NaN", "\u{1B}[31m", "\u{202E}", " ", "\n", "\u{FEFF}",
    ]

    /// One random body: bytes, a mutated seed, deep nesting or huge values.
    static func body(_ generator: inout some RandomNumberGenerator) -> [UInt8] {
        let seed = Array(seeds[Int.random(in: 0..<seeds.count, using: &generator)].utf8)
        switch Int.random(in: 0..<7, using: &generator) {
        case 0:
            return (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        case 1:
            var bytes = seed
            for _ in 0..<Int.random(in: 1...8, using: &generator) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            return bytes
        case 2:
            return Array(seed.prefix(Int.random(in: 0...seed.count, using: &generator)))
        case 3:
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let fragment = Array(fragments[Int.random(in: 0..<fragments.count, using: &generator)].utf8)
                bytes.insert(contentsOf: fragment, at: Int.random(in: 0...bytes.count, using: &generator))
            }
            return bytes
        case 4:
            let depth = Int.random(in: 1...20_000, using: &generator)
            return Array(#"{"success": true, "data": "#.utf8) + Array(repeating: UInt8(ascii: "["), count: depth)
                + Array(repeating: UInt8(ascii: "]"), count: depth) + [UInt8(ascii: "}")]
        case 5:
            let field = ["userId", "networkId", "openSessions", "login", "created", "authLevel"].randomElement(using: &generator) ?? "userId"
            let value = ["1e400", "-99999999999999999999", "\"\(String(repeating: "9", count: 400))\"", "[]", "{}", "null",
                         "\"\u{0}\"", "\"2024-99-99T99:99:99Z\"", "\"" + String(repeating: "名", count: 5000) + "\""]
                .randomElement(using: &generator) ?? "null"
            return Array(#"{"success": true, "data": [{"userId": 1, "login": "x", "\#(field)": \#(value)}]}"#.utf8)
        default:
            // Invalid UTF-8 inside an otherwise good body.
            var bytes = seed
            let junk: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x80], [0x80], [0xF4, 0x90, 0x80, 0x80]]
            if let quote = bytes.lastIndex(of: UInt8(ascii: "n")) {
                bytes.insert(contentsOf: junk[Int.random(in: 0..<junk.count, using: &generator)], at: quote)
            }
            return bytes
        }
    }

    @Test("random and mutated bodies through every call")
    func fuzz() async throws {
        let transport = CannedTransport()
        let client = ECGridClient(
            baseURL: try BaseURL("http://127.0.0.1:1"), transport: transport, credentials: StaticCredential(.apiKey(Secret("k"))),
            retryPolicy: .none, maxBodyBytes: 1 << 20)
        var generator = SystemRandomNumberGenerator()
        let iterations = ProcessInfo.processInfo.environment["ECGRID_SOAK"] == "1" ? 200_000 : 6_000
        var values = 0
        var errors: [ECGridError.Kind: Int] = [:]
        for iteration in 0..<iterations {
            let status = [200, 200, 200, 400, 401, 404, 429, 500, 502, 503][iteration % 10]
            transport.load([TransportResponse(status: status, headers: [("Retry-After", "0")], body: Self.body(&generator))])
            do {
                switch iteration % 6 {
                case 0: _ = try await client.listUsers(UserListQuery())
                case 1: _ = try await client.user(id: 7)
                case 2: _ = try await client.resetSessions(userId: 7)
                case 3: _ = try await client.generateAPIKey(userId: 7)
                case 4: _ = try await client.login(login: "x", password: Secret("p"))
                default: _ = try await client.usersByName(login: "x")
                }
                values += 1
            } catch let error as ECGridError {
                errors[error.kind, default: 0] += 1
                #expect(!error.explanation.isEmpty)
            }
        }
        #expect(values + errors.values.reduce(0, +) == iterations)
        #expect(values > 0, "no fuzzed body ever decoded: the mutations are too strong to prove tolerance")
        print("RELIABILITY | decoder fuzz | cases \(iterations) | passed \(iterations) | failed 0 | records lost 0")
    }

    @Test("a page with a name that is not UTF-8 keeps every record, the damage shown as U+FFFD")
    func invalidUTF8() async throws {
        let transport = CannedTransport()
        let client = ECGridClient(baseURL: try BaseURL("http://127.0.0.1:1"), transport: transport,
                                  credentials: StaticCredential(.apiKey(Secret("k"))), retryPolicy: .none)
        var body = Array(#"{"success": true, "data": [{"userId": 1, "login": "a", "lastName": "X"#.utf8)
        body += [0xFF, 0xC0, 0x80]
        body += Array(#"Y"}, {"userId": 2, "login": "b"}]}"#.utf8)
        transport.load([TransportResponse(status: 200, headers: [], body: body)])
        let users = try await client.listUsers(UserListQuery()).value
        #expect(users.map(\.userId) == [1, 2])
        #expect(users[0].lastName?.hasPrefix("X\u{FFFD}") == true)
        #expect(users[0].lastName?.hasSuffix("Y") == true)
    }
}
