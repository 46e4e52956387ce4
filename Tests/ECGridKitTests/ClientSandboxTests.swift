import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import Testing

@Suite("Client against a real sandbox over HTTP")
struct ClientSandboxTests {
    @Test("version needs no credential")
    func version() async throws {
        try await withSandbox { _, client in
            let version = try await client.withCredentials(nil).version()
            #expect(version.value.contains("sandbox"))
            #expect(version.exchange.httpStatus == 200)
        }
    }

    @Test("me, get, list and by-name return the sandbox's users")
    func reads() async throws {
        try await withSandbox { _, client in
            let me = try await client.me().value
            #expect(me.userId == SandboxAccounts.operatorID)
            #expect(me.authLevel == .techOps)
            let user = try await client.user(id: 40002).value
            #expect(user.userId == 40002)
            let page = try await client.listUsers(UserListQuery(pageNo: 2, recordsPerPage: 10)).value
            #expect(page.count == 10)
            #expect(page.first?.userId == SandboxAccounts.firstGeneratedID + 7)
            let found = try await client.usersByName(login: user.login).value
            #expect(found.contains { $0.userId == 40002 })
        }
    }

    @Test("records sent with loginName and unknown fields decode like the others")
    func quirkyRecords() async throws {
        try await withSandbox { _, client in
            // Every seventh generated user is sent with loginName and extra fields.
            let quirky = try await client.user(id: SandboxAccounts.firstGeneratedID + 3).value
            #expect(!quirky.login.isEmpty)
            let all = try await client.allUsers(pageSize: 50)
            #expect(all.allSatisfy { !$0.login.isEmpty })
        }
    }

    @Test("the paging walker loads every user once, in order, whatever the page size and concurrency",
        arguments: [(1000, 7, 4), (1000, 100, 1), (1000, 1000, 4), (300, 25, 16)])
    func allPages(users: Int, pageSize: Int, concurrency: Int) async throws {
        try await withSandbox(users: users) { server, client in
            let progress = Recorder<ECGridClient.PageProgress>()
            let all = try await client.allUsers(pageSize: pageSize, concurrency: concurrency) { progress.append($0) }
            #expect(all.count == users)
            #expect(Set(all.map(\.userId)).count == users)
            #expect(all.map(\.userId) == all.map(\.userId).sorted())
            #expect(progress.all.last?.endFound == true)
            // Pages past the short one may be asked for in flight, but not many.
            let pagesAsked = await server.store.count(method: "POST", pathPrefix: "/v2/users/list")
            #expect(pagesAsked <= users / pageSize + 1 + concurrency)
        }
    }

    @Test("limit and filters")
    func limitsAndFilters() async throws {
        try await withSandbox { _, client in
            let first = try await client.allUsers(pageSize: 10, limit: 25)
            #expect(first.count == 25)
            let network10 = try await client.allUsers(UserListQuery(networkId: 10), pageSize: 20)
            #expect(!network10.isEmpty && network10.allSatisfy { $0.networkId == 10 })
            let suspended = try await client.allUsers(UserListQuery(status: .suspended))
            #expect(!suspended.isEmpty && suspended.allSatisfy { $0.status == .suspended })
        }
    }

    @Test("a bearer token works until the user's sessions are reset, then gets 401 InvalidSession")
    func resetRevokesSessions() async throws {
        try await withSandbox { server, client in
            let target = 40011
            let token = try await client.withCredentials(nil)
                .login(login: try #require(await server.store.user(target)?.login), password: Secret(SandboxAccounts.password(for: target)))
                .value
            let asTarget = client.withCredentials(StaticCredential(.bearer(Secret(token.token))))
            #expect(try await asTarget.me().value.userId == target)
            let sessionsBefore = try await client.user(id: target).value.openSessions ?? 0
            #expect(sessionsBefore >= 1)

            let reset = try await client.resetSessions(userId: target)
            #expect(reset.value == true)
            #expect(reset.exchange.request == "POST /v2/users/reset/\(target)")
            #expect(reset.exchange.httpStatus == 200)
            #expect(try await client.user(id: target).value.openSessions == 0)

            let error = await expectECGridError { _ = try await asTarget.me() }
            #expect(error?.httpStatus == 401)
            #expect(error?.errorCode == "InvalidSession")
            #expect(error?.explanation.contains("log in again") == true)
            // The reset was sent as POST, never as GET.
            #expect(await server.store.count(method: "GET", pathPrefix: "/v2/users/reset") == 0)
        }
    }

    @Test("refresh replaces the token; logout ends the session; session shows the context")
    func refreshAndLogout() async throws {
        try await withSandbox { _, client in
            let anonymous = client.withCredentials(nil)
            let first = try await anonymous.login(login: SandboxAccounts.viewerLogin, password: Secret(SandboxAccounts.password(for: SandboxAccounts.viewerID))).value
            #expect(first.userId == SandboxAccounts.viewerID)
            #expect(first.expiresAt != nil)
            let asFirst = client.withCredentials(StaticCredential(.bearer(Secret(first.token))))
            let session = try await asFirst.session().value
            #expect(session.login == SandboxAccounts.viewerLogin)
            #expect(session.authLevel == .networkUser)

            let second = try await asFirst.refresh(token: Secret(first.token)).value
            #expect(second.token != first.token)
            #expect(await expectECGridError { _ = try await asFirst.me() }?.errorCode == "InvalidSession")

            let asSecond = client.withCredentials(StaticCredential(.bearer(Secret(second.token))))
            let logout = try await asSecond.logout()
            #expect(logout.exchange.message == "Session terminated.")
            #expect(await expectECGridError { _ = try await asSecond.me() }?.errorCode == "InvalidSession")
        }
    }

    @Test("a bearer session provider logs in once and keeps using its token")
    func bearerProvider() async throws {
        try await withSandbox { server, client in
            let provider = TokenSession()
            try await provider.renew(
                login: SandboxAccounts.netAdminLogin, password: Secret(SandboxAccounts.password(for: SandboxAccounts.netAdminID)),
                using: client)
            let asAdmin = client.withCredentials(provider)
            let first = try await asAdmin.me().value
            let second = try await asAdmin.me().value
            #expect(first.userId == SandboxAccounts.netAdminID && second.userId == SandboxAccounts.netAdminID)
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/auth/login") == 1)
            let error = await expectECGridError {
                try await TokenSession().renew(login: SandboxAccounts.netAdminLogin, password: Secret("nope"), using: client)
            }
            #expect(error?.httpStatus == 401)
            #expect(error?.explanation.contains("password") == true)
        }
    }

    @Test("generate-key makes the old key fail with 401 InvalidAPIKey; the new one works")
    func generateKey() async throws {
        try await withSandbox { server, client in
            let target = 40011
            let oldKey = try #require(await server.store.apiKey(of: target))
            #expect(try await client.with(key: oldKey).me().value.userId == target)
            let generated = try await client.generateAPIKey(userId: target)
            #expect(generated.exchange.dataSummary == "<redacted>")
            #expect("\(generated.value)" == "<redacted>")
            let error = await expectECGridError { _ = try await client.with(key: oldKey).me() }
            #expect(error?.httpStatus == 401 && error?.errorCode == "InvalidAPIKey")
            #expect(try await client.with(key: generated.value.revealed).me().value.userId == target)
            #expect(try await client.apiKey(userId: target).value == generated.value)
        }
    }

    @Test("terminate sets Terminated and revokes sessions and key")
    func terminate() async throws {
        try await withSandbox { server, client in
            let target = 40011
            let key = try #require(await server.store.apiKey(of: target))
            let token = try await server.store.openSession(for: target)
            #expect(try await client.terminate(userId: target).value == true)
            #expect(try await client.user(id: target).value.status == .terminated)
            #expect(await expectECGridError { _ = try await client.with(key: key).me() }?.errorCode == "InvalidAPIKey")
            let asBearer = client.withCredentials(StaticCredential(.bearer(Secret(token))))
            #expect(await expectECGridError { _ = try await asBearer.me() }?.errorCode == "InvalidSession")
        }
    }

    @Test("AuthLevel rules: 403 AccessDenied for too low a level, 404 for what the caller cannot see")
    func authLevels() async throws {
        try await withSandbox { server, client in
            let viewer = client.with(key: try #require(await server.store.apiKey(of: SandboxAccounts.viewerID)))
            let network10 = try await client.allUsers(UserListQuery(networkId: 10)).first { $0.userId >= 40000 && $0.authLevel?.isAtLeast(.networkAdmin) == false }
            let sameNetwork = try #require(network10)
            let denied = await expectECGridError { _ = try await viewer.resetSessions(userId: sameNetwork.userId) }
            #expect(denied?.httpStatus == 403)
            #expect(denied?.errorCode == "AccessDenied")
            #expect(denied?.explanation.contains("AuthLevel") == true)
            #expect(denied?.attempts == 1)

            let otherNetwork = try #require(try await client.allUsers(UserListQuery(networkId: 30)).first)
            let hidden = await expectECGridError { _ = try await viewer.user(id: otherNetwork.userId) }
            #expect(hidden?.httpStatus == 404 && hidden?.errorCode == "ObjectNotFound")

            // A NetworkAdmin manages its own network only.
            let admin = client.with(key: try #require(await server.store.apiKey(of: SandboxAccounts.netAdminID)))
            #expect(try await admin.resetSessions(userId: sameNetwork.userId).value == true)
            #expect(await expectECGridError { _ = try await admin.resetSessions(userId: otherNetwork.userId) }?.httpStatus == 404)
        }
    }

    @Test("credential errors: missing, wrong")
    func credentialErrors() async throws {
        try await withSandbox { _, client in
            let missing = await expectECGridError { _ = try await client.withCredentials(nil).me() }
            #expect(missing?.kind == .missingCredentials)
            #expect(missing?.definitelyNotSent == true)
            let wrong = await expectECGridError { _ = try await client.with(key: "sbx_wrong").me() }
            #expect(wrong?.httpStatus == 401 && wrong?.errorCode == "InvalidAPIKey")
            #expect(wrong?.explanation.contains("ECGRID_API_KEY") == true)
            #expect(wrong?.description.contains("sbx_wrong") == false)
        }
    }

    @Test("bad input is refused before anything is sent")
    func invalidInput() async throws {
        try await withSandbox { server, client in
            #expect(await expectECGridError { _ = try await client.resetSessions(userId: 0) }?.kind == .invalidInput)
            #expect(await expectECGridError { _ = try await client.user(id: -4) }?.kind == .invalidInput)
            #expect(await expectECGridError { _ = try await client.usersByName(login: "") }?.kind == .invalidInput)
            #expect(await server.store.requests.isEmpty)
            let notFound = await expectECGridError { _ = try await client.user(id: 99_999_999) }
            #expect(notFound?.httpStatus == 404)
        }
    }
}

@Suite("The sandbox's list stays right as users change")
struct SandboxListTests {
    @Test("a status filter follows a termination; pages stay in order without gaps or repeats")
    func listFollowsChanges() async throws {
        try await withSandbox(users: 120) { _, client in
            let active = try await client.allUsers(UserListQuery(status: .active), pageSize: 7, concurrency: 3)
            let ids = active.map(\.userId)
            #expect(ids == ids.sorted() && Set(ids).count == ids.count)
            let target = try #require(active.first { $0.userId >= SandboxAccounts.firstGeneratedID && $0.authLevel?.isAtLeast(.techOps) == false })
            #expect(try await client.terminate(userId: target.userId).value)
            let after = try await client.allUsers(UserListQuery(status: .active), pageSize: 7, concurrency: 3)
            #expect(after.count == active.count - 1)
            #expect(!after.contains { $0.userId == target.userId })
            let all = try await client.allUsers(UserListQuery(), pageSize: 50, concurrency: 2)
            #expect(all.first { $0.userId == target.userId }?.status == .terminated)
        }
    }
}
