import ECGridKit
import ECGridSandbox
import Foundation
import Testing

@Suite("The sandbox's routes, in-process: every path, the wrong method, the wrong ID, no such path")
struct SandboxRoutesTests {
    @Test("each path takes its method; another is 405 naming the right one; an ID that is no number is 400; an unknown path 404")
    func quirks() async throws {
        try await withSandboxRouter { store, client in
            let key = try #require(await store.apiKey(of: SandboxAccounts.operatorID))
            let version = try await client.ask(.get, "/v2/auth/version")
            #expect(version.status == 200 && version.text.contains("2.6.0-sandbox"))
            let wrongMethod = try await client.ask(.delete, "/v2/users/me", key: key)
            #expect(wrongMethod.status == 405 && wrongMethod.text.contains("DELETE is not allowed on /v2/users/me; use GET."))
            #expect(try await client.ask(.get, "/v2/users/list", key: key).text.contains("use POST"))
            #expect(try await client.ask(.get, "/v2/users/reset/40010", key: key).status == 405)
            let badID = try await client.ask(.put, "/v2/users/abc", key: key)
            #expect(badID.status == 400 && badID.text.contains("User ID must be a number."))
            #expect(try await client.ask(.get, "/v2/users/reset", key: key).status == 400)
            #expect(try await client.ask(.post, "/v2/users/reset/abc", key: key).status == 400)
            let put = try await client.ask(.put, "/v2/users/40010", key: key)
            #expect(put.status == 405 && put.text.contains("PUT is not allowed on /v2/users/40010."))
            for path in ["/v2/users/me/extra", "/v1/users/me", "/v2", "/v2/auth"] {
                let missing = try await client.ask(.get, path, key: key)
                #expect(missing.status == 404 && missing.text.contains("No such endpoint."), "\(path)")
            }
            // Empty path components and a trailing slash are ignored, as before.
            #expect(try await client.ask(.get, "//v2//users/me/", key: key).status == 200)
            #expect(try await client.ask(.post, "/v2/users/reset/40010").text.contains("InvalidAPIKey"))
            #expect(try await client.ask(.get, "/v2/users/40010", key: key).text.contains("\"userId\":40010"))
            #expect(await store.requests.count == 15)
            #expect(await store.count(method: "PUT", pathPrefix: "/v2/users/") == 2)
        }
    }
}
