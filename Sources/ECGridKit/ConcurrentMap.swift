extension Array where Element: Sendable {
    /// Maps every element with at most `limit` calls running at once; results keep the order.
    /// The one way this tool bounds concurrent requests (bulk actions, re-reads, pages).
    public func concurrentMap<Result: Sendable>(
        limit: Int, _ transform: @escaping @Sendable (Element) async -> Result
    ) async -> [Result] {
        await withTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: count)
            var next = 0
            let limit = Swift.max(1, limit)
            while next < count && next < limit {
                let index = next
                let element = self[index]
                group.addTask { (index, await transform(element)) }
                next += 1
            }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < count {
                    let index = next
                    let element = self[index]
                    group.addTask { (index, await transform(element)) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }
}
