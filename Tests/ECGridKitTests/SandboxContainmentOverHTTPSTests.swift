import ConsoleTestSupport
import ECGridKit
import ECGridTransport
import ECGridSandbox
import Foundation
import HTTPTypes
import Testing

extension SandboxServer {
    /// One API call over HTTPS (the sandbox's CA trusted), as a router test makes it.
    func ask(
        _ transport: AsyncHTTPTransport, _ method: String, _ path: String, key: String? = nil, bearer: String? = nil,
        json: String? = nil
    ) async throws -> SandboxAnswer {
        var headers: [(name: String, value: String)] = []
        if let key { headers.append(("X-API-Key", key)) }
        if let bearer { headers.append(("Authorization", "Bearer \(bearer)")) }
        if json != nil { headers.append(("Content-Type", "application/json")) }
        let response = try await transport.send(TransportRequest(
            method: method, url: baseURL + path, headers: headers, body: json.map { Array($0.utf8) }, timeout: .seconds(20),
            maxBodyBytes: 1 << 20))
        var fields = HTTPFields()
        for (name, value) in response.headers { if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) } }
        return SandboxAnswer(status: response.status, headers: fields, bytes: response.body)
    }
}

/// A sandbox on HTTPS and a transport that trusts its CA, both stopped afterwards whatever happens.
func withHTTPSSandbox<T>(_ body: (SandboxServer, AsyncHTTPTransport) async throws -> T) async throws -> T {
    try await withSandboxServer { server in
        let transport = AsyncHTTPTransport(trust: server.trustedCA)
        do {
            let result = try await body(server, transport)
            await transport.shutdown()
            return result
        } catch {
            await transport.shutdown()
            throw error
        }
    }
}

@Suite("The sandbox's containment calls end to end, over HTTPS (SandboxServer.start)")
struct SandboxContainmentOverHTTPSTests {
    @Test("a token from before a password change still works; the old password no longer logs in, the new one does; a reset ends both sessions")
    func passwordThenReset() async throws {
        try await withHTTPSSandbox { server, transport in
            let key = await server.operatorKey()
            let target = try await containableUser(server.store)
            let login = { (password: String) in
                try await server.ask(transport, "POST", "/v2/auth/login", json: #"{"login": "\#(target.login)", "password": "\#(password)"}"#)
            }
            let token = try await login(SandboxAccounts.password(for: target.userId)).data(Token.self).token
            let new = try await server.ask(transport, "POST", "/v2/users/generate-password", key: key).data(String.self)
            let changed = try await server.ask(
                transport, "POST", "/v2/users/password", key: key, json: #"{"userId": \#(target.userId), "newPassword": "\#(new)"}"#)
            #expect(try changed.data(Bool.self))
            #expect(try await server.ask(transport, "GET", "/v2/users/me", bearer: token).data(User.self).userId == target.userId)
            #expect(try await login(SandboxAccounts.password(for: target.userId)).errorCode == "InvalidCredentials")
            let second = try await login(new).data(Token.self).token
            #expect(try await server.ask(transport, "POST", "/v2/users/reset/\(target.userId)", key: key).data(Bool.self))
            for revoked in [token, second] {
                #expect(try await server.ask(transport, "GET", "/v2/users/me", bearer: revoked).errorCode == "InvalidSession")
            }
        }
    }

    @Test("every key of a user, once deleted, is refused with 401 InvalidAPIKey")
    func deletedKeys() async throws {
        try await withHTTPSSandbox { server, transport in
            let key = await server.operatorKey()
            let target = try await containableUser(server.store) { await server.store.apiKeys(of: $0.userId).count >= 2 }
            let secrets = await server.store.apiKeys(of: target.userId)
            let records = try await server.ask(transport, "POST", "/v2/keys/list", key: key, json: #"{"userId": \#(target.userId)}"#)
                .data([KeyRecord].self)
            #expect(records.count == secrets.count)
            for record in records {
                #expect(try await server.ask(transport, "DELETE", "/v2/keys", key: key, json: #"{"keyId": \#(record.keyId)}"#).data(Bool.self))
            }
            for secret in secrets {
                let refused = try await server.ask(transport, "GET", "/v2/users/me", key: secret)
                #expect(refused.status == 401 && refused.errorCode == "InvalidAPIKey")
            }
        }
    }

    @Test("send-sms: 400 InvalidParameter without a cell number, true with one, 403 below NetworkAdmin; the log has each call and its status")
    func sms() async throws {
        try await withHTTPSSandbox { server, transport in
            let key = await server.operatorKey()
            let viewer = try #require(await server.store.apiKey(of: SandboxAccounts.viewerID))
            let withCell = try await containableUser(server.store) { $0.phone != nil }
            let withoutCell = try await containableUser(server.store) { $0.phone == nil }
            let body = { (id: Int) in #"{"userId": \#(id), "message": "Your ECGrid sessions were ended."}"# }
            let refused = try await server.ask(transport, "POST", "/v2/users/send-sms", key: key, json: body(withoutCell.userId))
            #expect(refused.status == 400 && refused.errorCode == "InvalidParameter")
            #expect(try await server.ask(transport, "POST", "/v2/users/send-sms", key: key, json: body(withCell.userId)).data(Bool.self))
            #expect(try await server.ask(transport, "POST", "/v2/users/send-sms", key: viewer, json: body(SandboxAccounts.netAdminID)).status == 403)
            #expect(await server.store.sentSMS.map(\.userId) == [withCell.userId])
            #expect(await server.store.requests.filter { $0.path == "/v2/users/send-sms" }.map(\.status) == [400, 200, 403])
        }
    }
}
