import ConsoleUI
import ECGridKit
import Synchronization

extension EffectRunner {
    /// Walks the pages with the client's one page walker (the same as `users list`), four at a
    /// time, posting each batch in order as soon as every page before it has come, and a last
    /// empty batch that says the list is complete. Repeated IDs are left to the list, which
    /// keeps users by ID and takes a repeat (the later page's copy) in place of the first, so
    /// the walk holds no set of every ID (2 MiB at 100,000 users, 3 while it grows).
    func loadUsers(_ generation: Int) async {
        let pages = Mutex(0)
        do {
            try await client.streamUsers(
                filters, pageSize: pageSize, concurrency: 4, unique: false,
                onProgress: { progress in pages.withLock { $0 = progress.pagesLoaded } }
            ) { [self] batch in
                post(.usersLoaded(generation: generation, users: batch, pages: pages.withLock { $0 }, done: false))
            }
            if !Task.isCancelled {
                post(.usersLoaded(generation: generation, users: [], pages: pages.withLock { $0 }, done: true))
            }
        } catch let error as ECGridError where error.kind == .cancelled {
            return
        } catch {
            if !Task.isCancelled { post(.usersFailed(generation: generation, Failure(error))) }
        }
    }
}
