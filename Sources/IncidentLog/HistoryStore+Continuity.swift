import ECGridKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension HistoryStore {
    /// The file's end, checked against the tip before an append (the lock is held). When they
    /// differ, a `discontinuity` record saying what was expected and what was found is appended
    /// first, numbered after the highest sequence number either names, so no number is ever
    /// used twice. A tip that is only behind (its record is in the file as written: a crash or a
    /// failed tip write after an append) or missing is not a discontinuity: it is repaired.
    func continuity(_ descriptor: Int32, into result: inout HistoryAppend) throws -> Tail {
        let identity = FileIdentity(descriptor)
        if let cached = Self.tails.withLock({ $0[path] }), let identity, cached.file == identity {
            return cached.tail
        }
        let tail = try Tail.read(descriptor, path: path)
        guard let tip = tip() else { return tail }
        let found = tail.lastSeq
        if found == tip.seq, tail.lastLineHash == tip.hash { return tail }
        let kind: Discontinuity.Kind
        if let found, found > tip.seq {
            if try hashOfRecord(tip.seq, descriptor) == tip.hash { return tail }
            kind = .replaced
        } else if found == tip.seq {
            kind = .lastRecordChanged
        } else {
            kind = .truncated
        }
        let details = Discontinuity(
            kind: kind, expectedSeq: tip.seq, expectedHash: tip.hash, foundSeq: found, foundHash: tail.lastLineHash)
        let record = HistoryRecord(
            v: HistoryRecord.formatVersion, seq: max(tip.seq, found ?? 0) + 1, kind: .discontinuity,
            actionId: UUID().uuidString.lowercased(), time: ECGridDate(Date()).text, action: "discontinuity", target: nil,
            actor: .local(), process: .current, profile: nil, baseURL: "", reason: nil, result: nil,
            recoveredTornLineAt: nil, prev: tail.lastLineHash ?? Self.genesis, discontinuity: details)
        return try writeRecord(record, after: tail, descriptor, into: &result)
    }

    /// The hash of the line holding record `seq`, read through `descriptor`; nil when no line
    /// holds it. Only a tip that is behind needs this, so it reads the whole file.
    func hashOfRecord(_ seq: Int, _ descriptor: Int32) throws -> String? {
        let lines = HistoryLine.split(try Self.readAll(descriptor, path: path))
        return lines.last { $0.complete && $0.record?.seq == seq }.map { Self.hash($0.bytes) }
    }

    /// Every byte of the open file, read with `pread` (the offset of an `O_APPEND` descriptor
    /// is left alone).
    static func readAll(_ descriptor: Int32, path: String) throws -> [UInt8] {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw HistoryError.system(path, "inspect") }
        let size = Int(status.st_size)
        var buffer = [UInt8](repeating: 0, count: size)
        var got = 0
        while got < size {
            let offset = got
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress.map { $0 + offset }, size - offset, off_t(offset)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw HistoryError.system(path, "read")
            }
            if count == 0 { break }
            got += count
        }
        buffer.removeLast(size - got)
        return buffer
    }
}

extension HistoryStore {
    /// Runs `body` on the file's bytes read under a shared lock (empty when there is no file).
    func withSharedLock<T>(_ body: ([UInt8]) throws -> T) throws -> T {
        if refusesUnsafePaths { try checkSafe() }
        let descriptor = refusesUnsafePaths ? openForReading(path) : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return try body([]) }
            if errno == ELOOP { throw HistoryError.refusal(path, "it is a symbolic link; point ECGRID_CONSOLE_HISTORY at the file itself") }
            throw HistoryError.system(path, "open")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_SH) != 0 {
            guard errno == EINTR else { throw HistoryError.system(path, "lock") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body(try Self.readAll(descriptor, path: path))
    }
}
