/// Runs of bytes, one a position, kept end to end in one buffer: a run costs its bytes and two
/// words, not an array of its own. A run that is replaced by one of another length moves to the
/// end and leaves garbage; the buffer is compacted when garbage passes half of it.
struct ByteRuns: Sendable {
    private var bytes: [UInt8] = []
    private var starts: [UInt32] = []
    private var lengths: [UInt32] = []
    private var garbage = 0

    var count: Int { starts.count }

    mutating func append(_ run: [UInt8]) {
        starts.append(UInt32(bytes.count))
        lengths.append(UInt32(run.count))
        bytes.append(contentsOf: run)
    }

    mutating func replace(at position: Int, with run: [UInt8]) {
        let start = Int(starts[position])
        let length = Int(lengths[position])
        if run.count == length {
            bytes.replaceSubrange(start..<(start + length), with: run)
            return
        }
        garbage += length
        starts[position] = UInt32(bytes.count)
        lengths[position] = UInt32(run.count)
        bytes.append(contentsOf: run)
        if garbage > bytes.count / 2 { compact() }
    }

    mutating func removeAll() { self = ByteRuns() }

    /// Calls `body` with the run at `position`, in place.
    func withRun<T>(_ position: Int, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let start = Int(starts[position])
        let length = Int(lengths[position])
        return bytes.withUnsafeBytes { all in body(UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])) }
    }

    private mutating func compact() {
        var fresh: [UInt8] = []
        fresh.reserveCapacity(bytes.count - garbage)
        for position in starts.indices {
            let start = Int(starts[position])
            starts[position] = UInt32(fresh.count)
            fresh.append(contentsOf: bytes[start..<(start + Int(lengths[position]))])
        }
        bytes = fresh
        garbage = 0
    }
}
