import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Testing

@Suite("An operator's login session (TokenSession) against a real sandbox")
struct TokenSessionTests {
    @Test("log in, work, get revoked: it stays revoked (no silent log-in), until renewed; logout ends it on the server")
    func revocation() async throws {
        try await withSandbox(users: 30) { server, apiKeyClient in
            let session = TokenSession()
            let client = apiKeyClient.withCredentials(session)
            let password = Secret(SandboxAccounts.password(for: SandboxAccounts.operatorID))
            try await session.renew(login: SandboxAccounts.operatorLogin, password: password, using: client)
            #expect(try await client.me().value.login == SandboxAccounts.operatorLogin)
            #expect(try await client.session().value.userId == SandboxAccounts.operatorID)
            #expect(await server.store.liveSessionCount(SandboxAccounts.operatorID) == 1)

            // Someone resets this operator's sessions.
            #expect(try await apiKeyClient.resetSessions(userId: SandboxAccounts.operatorID).value)
            var first: ECGridError?
            do { _ = try await client.me() } catch let error as ECGridError { first = error }
            #expect(first?.errorCode == "InvalidSession")
            #expect(await session.revoked)
            var second: ECGridError?
            do { _ = try await client.me() } catch let error as ECGridError { second = error }
            #expect(second?.kind == .missingCredentials)
            #expect(second?.explanation.contains("log in again") == true)
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/auth/login") == 1)

            try await session.renew(login: SandboxAccounts.operatorLogin, password: password, using: client)
            #expect(try await client.me().value.userId == SandboxAccounts.operatorID)
            await session.logout(using: client)
            #expect(await server.store.liveSessionCount(SandboxAccounts.operatorID) == 0)
            #expect(await session.isActive == false)
        }
    }

    @Test("near its expiry the token is refreshed, not re-obtained with the password")
    func refresh() async throws {
        try await withSandbox(users: 30) { server, apiKeyClient in
            let session = TokenSession(refreshMargin: .seconds(365 * 24 * 3600))
            let client = apiKeyClient.withCredentials(session)
            try await session.renew(
                login: SandboxAccounts.operatorLogin, password: Secret(SandboxAccounts.password(for: SandboxAccounts.operatorID)),
                using: client)
            let before = await session.token
            #expect(try await client.me().value.userId == SandboxAccounts.operatorID)
            #expect(await session.token != before)
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/auth/refresh") >= 1)
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/auth/login") == 1)
        }
    }

    @Test("a wrong password is refused and nothing is kept")
    func wrongPassword() async throws {
        try await withSandbox(users: 30) { _, apiKeyClient in
            let session = TokenSession()
            let client = apiKeyClient.withCredentials(session)
            await #expect(throws: ECGridError.self) {
                try await session.renew(login: SandboxAccounts.operatorLogin, password: Secret("wrong"), using: client)
            }
            #expect(await session.isActive == false)
        }
    }
}
