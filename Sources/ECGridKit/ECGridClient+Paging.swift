extension ECGridClient {
    /// Progress of a walk over every page.
    public struct PageProgress: Sendable, Equatable {
        /// Pages received so far.
        public var pagesLoaded: Int
        /// Records received so far.
        public var recordsLoaded: Int
        /// True once a short page showed where the list ends.
        public var endFound: Bool
    }

    /// Every user matching `filter`, walking `POST /v2/users/list` page by page until one comes
    /// back short (the API sends no total). Up to `concurrency` pages are asked for at once; pages
    /// past the first short one are dropped; records are returned in page order without
    /// duplicates. A server that ignores `pageNo` (a full page with nothing new) ends the walk.
    ///
    /// - Parameters:
    ///   - limit: stop after this many records (nil: all).
    ///   - onProgress: told after each page arrives.
    ///   - onUsers: told, in order, of the records as soon as every page before theirs has come
    ///     (the same records, in the same order and with the same limit, as the result): what
    ///     `users list --jsonl` streams while later pages are still on their way.
    public func allUsers(
        _ filter: UserListQuery = UserListQuery(), pageSize: Int = 100, concurrency: Int = 4, limit: Int? = nil,
        onProgress: (@Sendable (PageProgress) -> Void)? = nil, onUsers: (@Sendable ([User]) -> Void)? = nil
    ) async throws -> [User] {
        var walk = PageWalk(pageSize: pageSize, limit: limit, keepsRecords: true)
        try await walkPages(filter, &walk, concurrency: concurrency, onProgress: onProgress, onUsers: onUsers)
        return walk.result()
    }

    /// The same walk as `allUsers`, for a caller that keeps the records itself (the console's
    /// list, `users list --jsonl`): every batch goes to `onUsers` in order and the walk keeps
    /// only what it needs to order them, so a long list is never held twice.
    /// - Parameter unique: true to tell each user ID once (the set of every ID told is kept
    ///   while the walk lasts); false for a caller that keeps its records by ID anyway and
    ///   takes a repeated ID's later copy in place of the first (the console's list), which
    ///   then holds no such set. Without it a repeat counts towards `limit`.
    public func streamUsers(
        _ filter: UserListQuery = UserListQuery(), pageSize: Int = 100, concurrency: Int = 4, limit: Int? = nil,
        unique: Bool = true,
        onProgress: (@Sendable (PageProgress) -> Void)? = nil, onUsers: @escaping @Sendable ([User]) -> Void
    ) async throws {
        var walk = PageWalk(pageSize: pageSize, limit: limit, keepsRecords: false, unique: unique)
        try await walkPages(filter, &walk, concurrency: concurrency, onProgress: onProgress, onUsers: onUsers)
    }

    private func walkPages(
        _ filter: UserListQuery, _ walk: inout PageWalk, concurrency: Int,
        onProgress: (@Sendable (PageProgress) -> Void)?, onUsers: (@Sendable ([User]) -> Void)?
    ) async throws {
        let pageSize = walk.pageSize
        guard pageSize >= 1, concurrency >= 1 else {
            throw ECGridError(.invalidInput, detail: "page size and concurrency must be at least 1")
        }
        if let limit = walk.limit, limit <= 0 { return }
        try await withThrowingTaskGroup(of: (Int, [User]).self) { group in
            var nextPage = 1
            var inFlight = 0
            func launchMore() {
                // A window of `concurrency` pages past the ones known full: however the answers
                // are ordered, at most that many are asked for past the end.
                // The first page goes alone: a short list, or a failing server, costs one request.
                let window = walk.fullThrough == 0 ? 1 : concurrency
                while inFlight < window, nextPage <= min(walk.lastPage ?? Int.max, walk.fullThrough + window) {
                    let pageNo = nextPage
                    var query = filter
                    query.pageNo = pageNo
                    query.recordsPerPage = pageSize
                    group.addTask { (pageNo, try await self.listUsers(query).value) }
                    nextPage += 1
                    inFlight += 1
                }
            }
            launchMore()
            while let (pageNo, users) = try await group.next() {
                inFlight -= 1
                let progress = walk.receive(pageNo, users)
                onProgress?(progress)
                if let onUsers { for batch in walk.readyBatches() { onUsers(batch) } }
                launchMore()
            }
        }
    }
}

/// The pages of a walk over `users/list` as they arrive, in any order: where the list ends,
/// which records are ready to be told in order, and the result without duplicates.
struct PageWalk {
    let pageSize: Int
    let limit: Int?
    /// False for a streaming walk: pages are dropped once told (all but the last, which a
    /// repeated page is compared with).
    let keepsRecords: Bool
    /// False: records are told as they come, repeated IDs included (no set of told IDs).
    let unique: Bool
    var pages: [Int: [User]] = [:]
    var pagesLoaded = 0
    /// The last page that counts, once known (a short page, the limit, or a repeated page).
    var lastPage: Int?
    var endFound = false
    var records = 0
    /// Pages 1 through this one have all come back full.
    private(set) var fullThrough = 0
    /// Pages up to this one have been handed out by `readyBatches`.
    private var toldThrough = 0
    private var told = Set<Int>()
    private var toldCount = 0

    init(pageSize: Int, limit: Int?, keepsRecords: Bool = true, unique: Bool = true) {
        self.pageSize = pageSize
        self.limit = limit
        self.keepsRecords = keepsRecords
        self.unique = unique
        lastPage = limit.map { ($0 + pageSize - 1) / pageSize }
    }

    /// Takes a page in; returns the progress after it.
    mutating func receive(_ pageNo: Int, _ users: [User]) -> ECGridClient.PageProgress {
        if users.count < pageSize {
            endFound = true
            lastPage = min(lastPage ?? pageNo, pageNo)
        }
        if pageNo <= (lastPage ?? Int.max) {
            pages[pageNo] = users
            pagesLoaded += 1
            records += users.count
        }
        while let next = pages[fullThrough + 1], next.count == pageSize { fullThrough += 1 }
        let progress = ECGridClient.PageProgress(pagesLoaded: pagesLoaded, recordsLoaded: records, endFound: endFound)
        if pageNo > 1, users.count == pageSize, let previous = pages[pageNo - 1], previous == users {
            // The server ignores pageNo: every page is the same.
            lastPage = min(lastPage ?? pageNo, pageNo - 1)
        }
        return progress
    }

    /// The records of the pages that are now complete in order, not handed out before.
    mutating func readyBatches() -> [[User]] {
        var batches: [[User]] = []
        while let page = pages[toldThrough + 1], toldThrough + 1 <= (lastPage ?? Int.max) {
            toldThrough += 1
            var batch: [User] = []
            for user in page where !unique || told.insert(user.userId).inserted {
                if let limit, toldCount >= limit { break }
                batch.append(user)
                toldCount += 1
            }
            if !batch.isEmpty { batches.append(batch) }
        }
        if !keepsRecords { pages = pages.filter { $0.key >= toldThrough } }
        return batches
    }

    /// Every record in page order, without duplicates, cut to the limit.
    func result() -> [User] {
        var seen = Set<Int>()
        var result: [User] = []
        result.reserveCapacity(records)
        for pageNo in pages.keys.sorted() where pageNo <= (lastPage ?? Int.max) {
            for user in pages[pageNo] ?? [] where seen.insert(user.userId).inserted {
                result.append(user)
            }
        }
        if let limit, result.count > limit { result.removeLast(result.count - limit) }
        return result
    }
}
