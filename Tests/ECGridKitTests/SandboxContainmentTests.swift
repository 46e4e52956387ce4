import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The policy as ECGrid documents it, checked apart from the sandbox's own check.
func meetsDocumentedPolicy(_ password: String) -> Bool {
    password.contains { $0.isASCII && $0.isLowercase } && password.contains { $0.isASCII && $0.isUppercase }
        && password.contains(where: \.isNumber) && password.contains { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
}

/// A user the demo operator may manage, active (so it can log in), matching `predicate`.
func containableUser(_ store: SandboxStore, where predicate: (User) async -> Bool = { _ in true }) async throws -> User {
    for id in SandboxAccounts.firstGeneratedID..<(SandboxAccounts.firstGeneratedID + 297) {
        guard let user = await store.user(id), user.status == .active, user.authLevel?.isAtLeast(.techOps) == false,
            await predicate(user)
        else { continue }
        return user
    }
    throw NoSuchUser()
}

struct NoSuchUser: Error {}

@Suite("The sandbox's containment calls in-process (.router): passwords, API keys, SMS")
struct SandboxContainmentTests {
    @Test("a password change keeps open sessions live (as documented) until a reset; the old password stops logging in, the new one logs in")
    func passwordChange() async throws {
        try await withSandboxRouter(users: 300) { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            let target = try await containableUser(store)
            let old = try #require(await store.password(of: target.userId))
            #expect(old == SandboxAccounts.password(for: target.userId))
            let login = { (password: String) in
                try await client.ask(.post, "/v2/auth/login", json: #"{"login": "\#(target.login)", "password": "\#(password)"}"#)
            }
            let before = try await login(old)
            let token = try before.data(Token.self).token
            let new = try await client.ask(.post, "/v2/users/generate-password", key: key, json: "{}").data(String.self)
            let changed = try await client.ask(
                .post, "/v2/users/password", key: key, json: #"{"userId": \#(target.userId), "newPassword": "\#(new)"}"#)
            #expect(try changed.status == 200 && changed.data(Bool.self))
            #expect(await store.password(of: target.userId) == new)

            let stillLive = try await client.ask(.get, "/v2/users/me", bearer: token)
            #expect(try stillLive.data(User.self).userId == target.userId, "a session opened before the change ended with it")
            let oldAgain = try await login(old)
            #expect(oldAgain.status == 401 && oldAgain.errorCode == "InvalidCredentials")
            let second = try await login(new).data(Token.self).token

            #expect(try await client.ask(.post, "/v2/users/reset/\(target.userId)", key: key).data(Bool.self))
            for revoked in [token, second] {
                let refused = try await client.ask(.get, "/v2/users/me", bearer: revoked)
                #expect(refused.status == 401 && refused.errorCode == "InvalidSession")
            }
            #expect(await store.requests.map { "\($0.method) \($0.path) \($0.status)" } == [
                "POST /v2/auth/login 200", "POST /v2/users/generate-password 200", "POST /v2/users/password 200",
                "GET /v2/users/me 200", "POST /v2/auth/login 401", "POST /v2/auth/login 200",
                "POST /v2/users/reset/\(target.userId) 200", "GET /v2/users/me 401", "GET /v2/users/me 401",
            ])
        }
    }

    @Test("generate-password meets the policy, 12 long by default or as long as asked, never the same twice; lengths out of 8 to 128 are 400")
    func generatedPasswords() async throws {
        try await withSandboxRouter { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            var seen: Set<String> = []
            for _ in 0..<200 {
                // Without a body, as with `{}`, the default length.
                let password = try await client.ask(.post, "/v2/users/generate-password", key: key).data(String.self)
                #expect(password.count == 12 && meetsDocumentedPolicy(password), "\(password)")
                seen.insert(password)
            }
            #expect(seen.count == 200)
            for length in [8, 13, 128] {
                let password = try await client.ask(.post, "/v2/users/generate-password", key: key, json: #"{"length": \#(length)}"#)
                    .data(String.self)
                #expect(password.count == length && meetsDocumentedPolicy(password))
            }
            for body in [#"{"length": 7}"#, #"{"length": 129}"#, #"{"length": "twelve"}"#] {
                let refused = try await client.ask(.post, "/v2/users/generate-password", key: key, json: body)
                #expect(refused.status == 400 && refused.errorCode == "InvalidParameter", "\(body)")
            }
        }
    }

    @Test("a new password missing any class of the policy is 400 InvalidParameter saying so; an unknown user is 404; nothing changes")
    func passwordPolicy() async throws {
        try await withSandboxRouter(users: 300) { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            let target = try await containableUser(store)
            for weak in ["lower1!case", "UPPER1!CASE", "NoDigits!!", "NoSpecial12", "", "Aa1"] {
                let refused = try await client.ask(
                    .post, "/v2/users/password", key: key, json: #"{"userId": \#(target.userId), "newPassword": "\#(weak)"}"#)
                #expect(refused.status == 400 && refused.errorCode == "InvalidParameter", "\(weak)")
                #expect(try refused.envelope(Bool?.self).message?.contains("special character") == true)
            }
            #expect(await store.password(of: target.userId) == SandboxAccounts.password(for: target.userId))
            let unknown = try await client.ask(.post, "/v2/users/password", key: key, json: #"{"userId": 999999, "newPassword": "Aa1!aaaa"}"#)
            #expect(unknown.status == 404 && unknown.errorCode == "ObjectNotFound")
            let noBody = try await client.ask(.post, "/v2/users/password", key: key)
            #expect(noBody.status == 400 && noBody.errorCode == "InvalidParameter")
        }
    }

    @Test("API keys: several per user, each one authenticates; list masks them and filters by visibility; get-key is the primary; create shows its key once; every deleted key gets 401, a second delete 404")
    func keys() async throws {
        try await withSandboxRouter(users: 300) { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            let target = try await containableUser(store) { await store.apiKeys(of: $0.userId).count >= 2 }
            let secrets = await store.apiKeys(of: target.userId)
            #expect(await store.apiKey(of: target.userId) == secrets.first)
            for secret in secrets { #expect(try await client.ask(.get, "/v2/users/me", key: secret).data(User.self).userId == target.userId) }

            let list = try await client.ask(.post, "/v2/keys/list", key: key, json: #"{"userId": \#(target.userId)}"#)
            let records = try list.data([KeyRecord].self)
            #expect(records.count == secrets.count && records.allSatisfy { $0.userId == target.userId })
            #expect(secrets.allSatisfy { !list.text.contains($0) }, "a listed key is in full")
            #expect(zip(records, secrets).allSatisfy { $0.key.hasSuffix(String($1.suffix(4))) })
            for visibility in Set(records.map(\.visibility)) {
                let filtered = try await client.ask(
                    .post, "/v2/keys/list", key: key, json: #"{"userId": \#(target.userId), "visibility": "\#(visibility.lowercased())"}"#)
                #expect(try filtered.data([KeyRecord].self).map(\.keyId) == records.filter { $0.visibility == visibility }.map(\.keyId))
            }
            let primary = try await client.ask(.post, "/v2/keys/get-key", key: key, json: #"{"userId": \#(target.userId)}"#)
            #expect(try primary.data(KeyRecord.self).keyId == records.first?.keyId)

            let created = try await client.ask(
                .post, "/v2/keys/create", key: key, json: #"{"userId": \#(target.userId), "visibility": "Session"}"#).data(KeyRecord.self)
            #expect(created.visibility == "Session" && created.userId == target.userId)
            #expect(try await client.ask(.get, "/v2/users/me", key: created.key).data(User.self).userId == target.userId)
            let all = await store.apiKeys(of: target.userId)
            #expect(all == secrets + [created.key])

            for (record, secret) in zip(records + [created], all) {
                #expect(try await client.ask(.delete, "/v2/keys", key: key, json: #"{"keyId": \#(record.keyId)}"#).data(Bool.self))
                let refused = try await client.ask(.get, "/v2/users/me", key: secret)
                #expect(refused.status == 401 && refused.errorCode == "InvalidAPIKey", "deleted key \(record.keyId) still works")
                let again = try await client.ask(.delete, "/v2/keys", key: key, json: #"{"keyId": \#(record.keyId)}"#)
                #expect(again.status == 404 && again.errorCode == "ObjectNotFound")
            }
            #expect(try await client.ask(.post, "/v2/keys/list", key: key, json: #"{"userId": \#(target.userId)}"#).data([KeyRecord].self).isEmpty)
            #expect(try await client.ask(.post, "/v2/keys/get-key", key: key, json: #"{"userId": \#(target.userId)}"#).status == 404)
            for body in [#"{"userId": \#(target.userId), "visibility": "Secret"}"#, #"{"userId": \#(target.userId)}"#] {
                let refused = try await client.ask(.post, "/v2/keys/create", key: key, json: body)
                #expect(refused.status == 400 && refused.text.contains("Private, Shared, Public, Session"), "\(body)")
            }
        }
    }

    @Test("key-generate replaces the primary key only: the old primary gets 401, the new one and the others work; users/key shows the new one")
    func keyGenerateRotatesThePrimary() async throws {
        try await withSandboxRouter { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            let target = SandboxAccounts.netAdminID
            let before = await store.apiKeys(of: target)
            #expect(before.count == 2)
            let new = try await client.ask(.post, "/v2/users/key-generate/\(target)", key: key).data(String.self)
            #expect(await store.apiKeys(of: target) == [new] + before.dropFirst())
            #expect(try await client.ask(.get, "/v2/users/key/\(target)", key: key).data(String.self) == new)
            #expect(try await client.ask(.get, "/v2/users/me", key: before[0]).errorCode == "InvalidAPIKey")
            for working in [new, before[1]] { #expect(try await client.ask(.get, "/v2/users/me", key: working).status == 200) }
        }
    }

    @Test("below NetworkAdmin every new call is 403 AccessDenied and changes nothing; a NetworkAdmin may, in its network")
    func accessDenied() async throws {
        try await withSandboxRouter { store, client in
            let viewer = try #require(await store.apiKey(of: SandboxAccounts.viewerID))
            let target = SandboxAccounts.netAdminID
            let keysBefore = await store.apiKeys(of: target)
            let operatorKey = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            let record = try await client.ask(.post, "/v2/keys/get-key", key: operatorKey, json: #"{"userId": \#(target)}"#)
                .data(KeyRecord.self)
            let calls: [(HTTPRequest.Method, String, String)] = [
                (.post, "/v2/users/generate-password", "{}"),
                (.post, "/v2/users/password", #"{"userId": \#(target), "newPassword": "Aa1!aaaaaaaa"}"#),
                (.post, "/v2/keys/list", #"{"userId": \#(target)}"#),
                (.post, "/v2/keys/get-key", #"{"userId": \#(target)}"#),
                (.post, "/v2/keys/create", #"{"userId": \#(target), "visibility": "Private"}"#),
                (.delete, "/v2/keys", #"{"keyId": \#(record.keyId)}"#),
                (.post, "/v2/users/send-sms", #"{"userId": \#(target), "message": "Your account was locked."}"#),
            ]
            for (method, path, body) in calls {
                let refused = try await client.ask(method, path, key: viewer, json: body)
                #expect(refused.status == 403 && refused.errorCode == "AccessDenied", "\(method) \(path): \(refused.text)")
            }
            #expect(await store.password(of: target) == SandboxAccounts.password(for: target))
            #expect(await store.apiKeys(of: target) == keysBefore)
            #expect(await store.sentSMS.isEmpty)
            #expect(await store.requests.filter { $0.status == 403 }.count == calls.count)

            // The NetworkAdmin of network 10 manages its network's users, not another network's.
            let netAdmin = try #require(await store.apiKey(of: SandboxAccounts.netAdminID))
            #expect(try await client.ask(.post, "/v2/keys/list", key: netAdmin, json: #"{"userId": \#(SandboxAccounts.viewerID)}"#).status == 200)
            #expect(try await client.ask(.post, "/v2/users/generate-password", key: netAdmin).status == 200)
            #expect(try await client.ask(.post, "/v2/keys/list", key: netAdmin, json: #"{"userId": \#(SandboxAccounts.operatorID)}"#).status == 404)
        }
    }

    @Test("send-sms: true for a user with a cell number, logged with its message; 400 InvalidParameter without one, or without a message")
    func sms() async throws {
        try await withSandboxRouter(users: 300) { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            let withCell = try await containableUser(store) { $0.phone != nil }
            let withoutCell = try await containableUser(store) { $0.phone == nil }
            let message = "ECGrid support: your password was reset and your sessions ended. Call the help desk."
            let sent = try await client.ask(.post, "/v2/users/send-sms", key: key, json: #"{"userId": \#(withCell.userId), "message": "\#(message)"}"#)
            #expect(try sent.data(Bool.self))
            let refused = try await client.ask(
                .post, "/v2/users/send-sms", key: key, json: #"{"userId": \#(withoutCell.userId), "message": "\#(message)"}"#)
            #expect(refused.status == 400 && refused.errorCode == "InvalidParameter" && refused.text.contains("no cell number"))
            let empty = try await client.ask(.post, "/v2/users/send-sms", key: key, json: #"{"userId": \#(withCell.userId), "message": ""}"#)
            #expect(empty.status == 400)
            let log = await store.sentSMS
            #expect(log.map(\.userId) == [withCell.userId] && log.map(\.message) == [message] && log.first?.phone == withCell.phone)
            let password = try #require(await store.password(of: withCell.userId))
            #expect(log.allSatisfy { !$0.message.contains(password) })
        }
    }

    @Test("the new paths: another method is 405 naming the right one, a neighbour 404; faults apply to them like to the others")
    func pathsAndFaults() async throws {
        try await withSandboxRouter(users: 300) { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            for (method, path, right) in [
                (HTTPRequest.Method.get, "/v2/users/generate-password", "POST"), (.put, "/v2/users/password", "POST"),
                (.get, "/v2/keys", "DELETE"), (.get, "/v2/keys/list", "POST"), (.delete, "/v2/keys/create", "POST"),
                (.post, "/v2/auth/password", "PUT"), (.get, "/v2/users/send-sms", "POST"),
            ] {
                let answer = try await client.ask(method, path, key: key)
                #expect(answer.status == 405 && answer.text.contains("\(method.rawValue) is not allowed on \(path); use \(right)."))
            }
            #expect(try await client.ask(.post, "/v2/keys/other", key: key).text.contains("No such endpoint."))

            let faults = FaultSettings(rules: [
                FaultRule(kind: .unavailable, pathPrefix: "/v2/keys", method: "DELETE", count: 1),
                FaultRule(kind: .drop, pathPrefix: "/v2/users/password", count: 1),
            ])
            let switched = try await client.ask(.put, "/sandbox/faults", json: String(decoding: try JSONEncoder().encode(faults), as: UTF8.self))
            #expect(switched.status == 200)
            let target = try await containableUser(store)
            let primary = try await client.ask(.post, "/v2/keys/get-key", key: key, json: #"{"userId": \#(target.userId)}"#).data(KeyRecord.self)
            let primaryKey = await store.apiKey(of: target.userId)
            let unavailable = try await client.ask(.delete, "/v2/keys", key: key, json: #"{"keyId": \#(primary.keyId)}"#)
            #expect(unavailable.status == 503)
            #expect(await store.apiKeys(of: target.userId).first == primaryKey, "a refused delete deleted")
            await #expect(throws: (any Error).self) {
                try await client.ask(.post, "/v2/users/password", key: key, json: #"{"userId": \#(target.userId), "newPassword": "Zz9#zzzz"}"#)
            }
            // Dropped after the store acted: the change happened, the answer was lost.
            #expect(await store.password(of: target.userId) == "Zz9#zzzz")
            #expect(await store.requests.suffix(2).map(\.status) == [503, 200])
        }
    }

    @Test("PUT /v2/auth/password changes the caller's own password given the current one")
    func ownPassword() async throws {
        try await withSandboxRouter { store, client in
            let viewer = try #require(await store.apiKey(of: SandboxAccounts.viewerID))
            let current = SandboxAccounts.password(for: SandboxAccounts.viewerID)
            let wrong = try await client.ask(.put, "/v2/auth/password", key: viewer, json: #"{"currentPassword": "nope", "newPassword": "Nn5!nnnn"}"#)
            #expect(wrong.status == 400 && wrong.errorCode == "InvalidParameter")
            let weak = try await client.ask(.put, "/v2/auth/password", key: viewer, json: #"{"currentPassword": "\#(current)", "newPassword": "weak"}"#)
            #expect(weak.status == 400)
            let changed = try await client.ask(
                .put, "/v2/auth/password", key: viewer, json: #"{"currentPassword": "\#(current)", "newPassword": "Nn5!nnnn"}"#)
            #expect(try changed.status == 200 && changed.envelope(Bool?.self).message == "Password updated successfully.")
            #expect(await store.password(of: SandboxAccounts.viewerID) == "Nn5!nnnn")
        }
    }
}

/// `data` of a login.
struct Token: Decodable {
    var token: String
    var userId: Int
}

/// A key record as the sandbox sends it.
struct KeyRecord: Decodable {
    var keyId: Int
    var userId: Int
    var key: String
    var visibility: String
    var created: String
}
