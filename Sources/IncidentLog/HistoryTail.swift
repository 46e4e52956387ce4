import Foundation
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// What tells one state of the history file from another without reading it: device, inode,
/// size and modification time (to the nanosecond).
struct FileIdentity: Equatable, Sendable {
    var device: UInt
    var inode: UInt
    var size: Int
    var seconds: Int
    var nanoseconds: Int

    init?(_ descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        device = UInt(status.st_dev)
        inode = UInt(status.st_ino)
        size = Int(status.st_size)
        seconds = Int(status.st_mtim.tv_sec)
        nanoseconds = Int(status.st_mtim.tv_nsec)
    }
}

/// The end of the file, as an append needs it: the last complete line's hash, the last
/// sequence number, and where a torn last line starts.
struct Tail {
    var lastLineHash: String?
    var lastSeq: Int?
    var tornOffset: Int?

    static func read(_ descriptor: Int32, path: String) throws -> Tail {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw HistoryError.system(path, "inspect") }
        let size = Int(status.st_size)
        guard size > 0 else { return Tail() }
        // Read backwards in chunks until two complete lines (or the start) are in view.
        var chunkSize = 8 * 1024
        while true {
            let start = max(0, size - chunkSize)
            guard let buffer = SystemCall.readAll(descriptor, count: size - start, at: start) else {
                throw HistoryError.system(path, "read")
            }
            if let tail = parse(buffer, base: start, wholeFile: start == 0) { return tail }
            chunkSize *= 4
        }
    }

    /// Nil when the chunk does not reach back far enough.
    static func parse(_ buffer: [UInt8], base: Int, wholeFile: Bool) -> Tail? {
        var tail = Tail()
        var end = buffer.count
        if buffer.last != 10 {
            // A torn last line: it starts after the previous newline.
            guard let newline = buffer.lastIndex(of: 10) else {
                if wholeFile { tail.tornOffset = base; return tail }
                return nil
            }
            tail.tornOffset = base + newline + 1
            end = newline + 1
        }
        guard end > 0 else { return tail }
        // The last complete line runs from after the newline before it to `end - 1`.
        let lastStop = end - 1
        let lastStart: Int
        if let previous = buffer[..<lastStop].lastIndex(of: 10) {
            lastStart = previous + 1
        } else {
            guard wholeFile else { return nil }
            lastStart = 0
        }
        let line = Array(buffer[lastStart..<lastStop])
        tail.lastLineHash = HistoryStore.hash(line)
        // The sequence number of the last record that parses.
        var stop = lastStop
        var start = lastStart
        let decoder = JSONDecoder()
        while true {
            if let record = try? decoder.decode(HistoryRecord.self, from: Data(buffer[start..<stop])) {
                tail.lastSeq = record.seq
                return tail
            }
            guard start > 0 else { return wholeFile ? tail : nil }
            stop = start - 1
            if let previous = buffer[..<stop].lastIndex(of: 10) {
                start = previous + 1
            } else {
                guard wholeFile else { return nil }
                start = 0
            }
        }
    }
}
