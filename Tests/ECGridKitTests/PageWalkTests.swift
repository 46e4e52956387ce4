@testable import ECGridKit
import Testing

@Suite("The page walk's order and repeated IDs")
struct PageWalkTests {
    static func users(_ ids: Int...) -> [User] { ids.map { User(userId: $0, login: "user.\($0)") } }

    @Test("a user the server lists again on the next page (the list moved while it was walked) is told once, or again when the caller keeps users by ID")
    func repeatedAcrossPages() {
        for unique in [true, false] {
            var walk = PageWalk(pageSize: 2, limit: nil, keepsRecords: false, unique: unique)
            // Page 2 arrives first; nothing is told until page 1 has come.
            _ = walk.receive(2, Self.users(2, 3))
            #expect(walk.readyBatches().isEmpty)
            _ = walk.receive(1, Self.users(1, 2))
            _ = walk.receive(3, Self.users(4))
            let told = walk.readyBatches().map { $0.map(\.userId) }
            #expect(told == (unique ? [[1, 2], [3], [4]] : [[1, 2], [2, 3], [4]]), "unique: \(unique)")
        }
    }
}
