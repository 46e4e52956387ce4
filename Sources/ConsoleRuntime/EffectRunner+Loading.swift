import ConsoleUI
import ECGridKit

extension EffectRunner {
    /// Walks the pages: the first one at once, then four at a time, posting each batch in order.
    func loadUsers(_ generation: Int) async {
        let pageSize = self.pageSize
        let filters = self.filters
        func page(_ number: Int) -> UserListQuery {
            var query = filters
            query.pageNo = number
            query.recordsPerPage = pageSize
            return query
        }
        var pageNo = 1
        var loaded = 0
        do {
            let first = try await client.listUsers(page(1)).value
            loaded = 1
            post(.usersLoaded(generation: generation, users: first, pages: 1, done: first.count < pageSize))
            guard first.count == pageSize else { return }
            pageNo = 2
            while !Task.isCancelled {
                let window = Array(pageNo..<(pageNo + 4))
                let pages = try await withThrowingTaskGroup(of: (Int, [User]).self) { group in
                    for number in window {
                        group.addTask {
                            (number, try await self.client.listUsers(page(number)).value)
                        }
                    }
                    return try await group.reduce(into: [Int: [User]]()) { $0[$1.0] = $1.1 }
                }
                for number in window {
                    let users = pages[number] ?? []
                    loaded += 1
                    let done = users.count < pageSize
                    post(.usersLoaded(generation: generation, users: users, pages: loaded, done: done))
                    if done { return }
                }
                pageNo += 4
            }
        } catch let error as ECGridError where error.kind == .cancelled {
            return
        } catch {
            if !Task.isCancelled { post(.usersFailed(generation: generation, Failure(error))) }
        }
    }
}
