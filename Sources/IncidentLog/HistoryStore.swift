import Crypto
import ECGridKit
import Foundation
import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// The append-only JSON Lines file that keeps every action, with its hash chain.
///
/// Appends take an exclusive `flock` on the file, so several processes (two operators on one
/// jump host, or the console and a script) never interleave; each record goes out in one
/// `write` and is `fsync`ed before `append` returns. A torn last line left by a crash is closed
/// by the next append, which says so in `recoveredTornLineAt`; every complete record survives.
/// Beside the file, `<file>.tip` holds the last sequence number and hash, so truncation and an
/// edited last line show too; each append checks the file's end against it first and records a
/// discontinuity when they differ. The record is the truth, the tip a hint: a tip that cannot be
/// written does not fail an append. File mode 0600 in a 0700 directory, or 0660 in a setgid
/// directory (a team's shared history); never through a symbolic link.
public struct HistoryStore: Sendable {
    /// The history file.
    public let path: String

    /// Hash of "nothing before": the `prev` of the first record.
    public static let genesis = String(repeating: "0", count: 64)

    /// False for a copy collected from another machine, read only: it is not refused for
    /// lying in a directory others may write (the refusal protects appends).
    public var refusesUnsafePaths: Bool

    /// A store for the file at `path`.
    public init(path: String, refusesUnsafePaths: Bool = true) {
        self.path = path
        self.refusesUnsafePaths = refusesUnsafePaths
    }

    /// `ECGRID_CONSOLE_HISTORY`, else `$XDG_STATE_HOME/ecgrid-console/history.jsonl`, else
    /// `~/.local/state/ecgrid-console/history.jsonl`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let override = environment["ECGRID_CONSOLE_HISTORY"], !override.isEmpty { return override }
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        return state + "/ecgrid-console/history.jsonl"
    }

    var tipPath: String { path + ".tip" }

    /// SHA-256 of a line (without its newline), in hex.
    public static func hash(_ line: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(line)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// The tail this process saw after its own last append, by file: when the file (same device,
    /// inode and size) has not changed since, and the tip was written then, the next append need
    /// not read either back.
    static let tails = Mutex<[String: (file: FileIdentity, tail: Tail)]>([:])

    // MARK: Appending

    /// Appends one record built by `make(seq, prev)` under the lock, flushed to disk before it
    /// returns. Throws when it could not be written completely.
    @discardableResult
    public func append(_ make: (_ seq: Int, _ prev: String) -> HistoryRecord) throws -> HistoryRecord {
        guard let record = try appendReporting(make).record else {
            throw HistoryError(path: path, operation: "append", reason: "no record was written")
        }
        return record
    }

    /// As `append`, and says what went wrong without undoing the append (the tip could not be
    /// written; a discontinuity was found and recorded first).
    public func appendReporting(_ make: (_ seq: Int, _ prev: String) -> HistoryRecord) throws -> HistoryAppend {
        try withLockedFile { descriptor in try appendLocked(descriptor, make) }
    }

    /// Runs `body` with the file open and exclusively locked.
    func withLockedFile<T>(_ body: (Int32) throws -> T) throws -> T {
        let descriptor = try openForAppend()
        defer { close(descriptor) }
        var status = stat()
        let allowed: mode_t = isTeamDirectory ? 0o007 : 0o077
        if fstat(descriptor, &status) == 0, status.st_mode & allowed != 0 {
            fchmod(descriptor, status.st_mode & 0o777 & ~allowed)
        }
        guard SystemCall.retryingInterrupts({ flock(descriptor, LOCK_EX) }) == 0 else { throw HistoryError.system(path, "lock") }
        defer { flock(descriptor, LOCK_UN) }
        return try body(descriptor)
    }

    /// Appends under the lock: checks the file's end against the tip (recording a
    /// discontinuity first when they differ), writes the record in one `write`, flushes it, then
    /// updates the tip. A tip that cannot be written does not fail the append: the record is
    /// the truth, the tip a hint, repaired by the next append.
    @discardableResult
    func appendLocked(_ descriptor: Int32, _ make: (Int, String) -> HistoryRecord) throws -> HistoryAppend {
        var result = HistoryAppend(record: nil, discontinuity: nil, warnings: [])
        let tail = try continuity(descriptor, into: &result)
        let record = make((tail.lastSeq ?? 0) + 1, tail.lastLineHash ?? Self.genesis)
        try writeRecord(record, after: tail, descriptor, into: &result)
        return result
    }

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

    /// Writes one record after `tail` and returns the new tail; the record goes into `result`.
    @discardableResult
    func writeRecord(_ record: HistoryRecord, after tail: Tail, _ descriptor: Int32, into result: inout HistoryAppend) throws -> Tail {
        var stamped = record
        if let torn = tail.tornOffset { stamped.recoveredTornLineAt = torn }
        stamped = stamped.fitted { (try? Self.encode($0).count) ?? 0 }
        let line = try Self.encode(stamped)
        var bytes: [UInt8] = tail.tornOffset == nil ? [] : [10]
        bytes += line
        bytes.append(10)
        let sizeBefore = FileIdentity(descriptor)?.size
        do {
            try writeAll(descriptor, bytes)
            guard fsync(descriptor) == 0 else { throw HistoryError.system(path, "flush to disk") }
        } catch {
            // A full disk can take part of the line: take it back, so the file holds whole
            // records only and nothing later mistakes the refused record for one sent.
            Self.tails.withLock { $0[path] = nil }
            if let sizeBefore {
                _ = ftruncate(descriptor, off_t(sizeBefore))
                _ = fsync(descriptor)
            }
            throw error
        }
        let lineHash = Self.hash(line)
        let after = Tail(lastLineHash: lineHash, lastSeq: stamped.seq, tornOffset: nil)
        if stamped.kind == .discontinuity { result.discontinuity = stamped } else { result.record = stamped }
        do {
            try writeTip(seq: stamped.seq, hash: lineHash)
            Self.tails.withLock { $0[path] = FileIdentity(descriptor).map { ($0, after) } }
        } catch {
            // The record is durable: the append stands. The next append finds the tip behind
            // and repairs it.
            Self.tails.withLock { $0[path] = nil }
            result.warnings.append("\(error); the record itself was written, and the tip is repaired by the next append")
        }
        return after
    }

    /// The record's line as stored and hashed (without its newline).
    public static func encode(_ record: HistoryRecord) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return JSONLineEscaping.escape(Array(try encoder.encode(record)))
        } catch {
            throw HistoryError(path: "", operation: "encode a record", reason: "\(error)")
        }
    }

    /// Writes all of `bytes`, or throws (a full disk, say) with what was written left in place.
    func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        guard SystemCall.writeAll(descriptor, bytes) else { throw HistoryError.system(path, "write") }
    }

    /// Replaces the tip: a new file (never through a link), flushed, renamed over the old one,
    /// and the directory flushed.
    func writeTip(seq: Int, hash: String) throws {
        let temporary = tipPath + ".\(getpid()).tmp"
        unlink(temporary)
        let mode = fileMode
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw HistoryError.system(tipPath, "write the tip") }
        fchmod(descriptor, mode)
        let content = Array("\(seq) \(hash)\n".utf8)
        do {
            try writeAll(descriptor, content)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard fsync(descriptor) == 0 else {
            let failure = HistoryError.system(tipPath, "flush the tip")
            close(descriptor)
            unlink(temporary)
            throw failure
        }
        close(descriptor)
        guard rename(temporary, tipPath) == 0 else {
            let failure = HistoryError.system(tipPath, "replace the tip")
            unlink(temporary)
            throw failure
        }
        syncDirectory(directoryPath)
    }

    // MARK: Reading

    /// The tip file's `(seq, hash)`, when present and readable (never through a link).
    package func tip() -> (seq: Int, hash: String)? {
        let descriptor = openForReading(tipPath)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard let bytes = try? Self.readAll(descriptor, path: tipPath), bytes.count < 256 else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count == 2, let seq = Int(parts[0]) else { return nil }
        return (seq, String(parts[1]))
    }

    /// Every line of the file with its number, byte offset and parsed record.
    public func lines() throws -> [HistoryLine] {
        try withSharedLock { HistoryLine.split($0) }
    }

    /// Every record that parses, oldest first.
    public func records() throws -> [HistoryRecord] {
        try lines().compactMap(\.record)
    }

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
        guard SystemCall.retryingInterrupts({ flock(descriptor, LOCK_SH) }) == 0 else { throw HistoryError.system(path, "lock") }
        defer { flock(descriptor, LOCK_UN) }
        return try body(try Self.readAll(descriptor, path: path))
    }

    /// Every byte of the open file, read with `pread` (the offset of an `O_APPEND` descriptor
    /// is left alone).
    static func readAll(_ descriptor: Int32, path: String) throws -> [UInt8] {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw HistoryError.system(path, "inspect") }
        guard let bytes = SystemCall.readAll(descriptor, count: Int(status.st_size), at: 0) else {
            throw HistoryError.system(path, "read")
        }
        return bytes
    }
}
