import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Testing

@Suite("The paging walker streams users in order as pages arrive")
struct PagingStreamTests {
    @Test("onUsers tells the same users, in the same order, as the result (limits and concurrency too)",
        arguments: [(500, 7, 4, nil), (500, 50, 16, nil), (500, 100, 1, 250), (300, 25, 8, 33)] as [(Int, Int, Int, Int?)])
    func sameAsResult(users: Int, pageSize: Int, concurrency: Int, limit: Int?) async throws {
        try await withSandbox(users: users) { _, client in
            let told = Recorder<[User]>()
            let all = try await client.allUsers(pageSize: pageSize, concurrency: concurrency, limit: limit) { _ in } onUsers: {
                told.append($0)
            }
            #expect(told.all.flatMap { $0 }.map(\.userId) == all.map(\.userId))
            #expect(told.all.allSatisfy { !$0.isEmpty })
            if let limit { #expect(all.count == limit) }
        }
    }
}
