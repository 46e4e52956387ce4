/// What `history verify --against COPY` found: the local file compared with a copy the host's
/// log pipeline collected, record by record.
public struct AnchorReport: Sendable {
    /// One difference.
    public struct Finding: Sendable, CustomStringConvertible {
        /// What differs.
        public enum Kind: String, Sendable {
            /// The copy holds a record of this chain that the file does not: records were cut
            /// or the file was rewritten.
            case missingFromFile = "missing from the file"
            /// The file's record with this number is not the one the copy holds.
            case altered
            /// The file holds this record under another number, or in another place.
            case outOfOrder = "out of order in the file"
            /// The copy holds none of the file's records, though the file has some.
            case noneInCopy = "none in the copy"
            /// The file holds a record the copy does not (not forwarded: syslog off, or lost on
            /// the way). Not tampering of the file.
            case missingFromCopy = "missing from the copy"
            /// The copy has this chain's records out of order (the pipeline reordered them).
            case outOfOrderInCopy = "out of order in the copy"
        }

        /// What differs.
        public var kind: Kind
        /// The record's sequence number, when the finding is about one.
        public var seq: Int?
        /// Where, in words: lines of the file and of the copy.
        public var detail: String

        /// True for findings that mean the local file was changed by something other than appends.
        public var isTampering: Bool {
            switch kind {
            case .missingFromFile, .altered, .outOfOrder, .noneInCopy: true
            case .missingFromCopy, .outOfOrderInCopy: false
            }
        }

        /// `record 3: altered: …`.
        public var description: String { (seq.map { "record \($0): " } ?? "") + "\(kind.rawValue): \(detail)" }
    }

    /// Records in the file.
    public var fileRecords: Int
    /// Records of this chain found in the copy.
    public var copyRecords: Int
    /// Records that are the same on both sides.
    public var matching: Int
    /// Every difference, in the copy's order, then the file's records the copy lacks.
    public var findings: [Finding]

    /// True when a finding means the file was changed by something other than appends.
    public var tampered: Bool { findings.contains { $0.isTampering } }
}

extension HistoryStore {
    /// Compares the file with `copy`, a collected copy's records (`CollectedCopy.parse`). The
    /// copy may hold other histories too (other hosts, other operators): a copied record belongs
    /// to this one when the file holds it, holds its action (intent or outcome), or it follows a
    /// record that belongs.
    public func verify(against copy: [CollectedRecord]) throws -> AnchorReport {
        let local = try lines().compactMap { line in line.record.map { (line: line.number, hash: Self.hash(line.bytes), record: $0) } }
        let localHashes = Set(local.map(\.hash))
        let localKeys = Set(local.map { "\($0.record.kind.rawValue) \($0.record.actionId)" })
        var localBySeq: [Int: (line: Int, hash: String)] = [:]
        for item in local where localBySeq[item.record.seq] == nil { localBySeq[item.record.seq] = (item.line, item.hash) }

        var belonging: [CollectedRecord] = []
        var belongingHashes: Set<String> = []
        for item in copy where !belongingHashes.contains(item.hash) {
            let ours = localHashes.contains(item.hash) || localKeys.contains("\(item.record.kind.rawValue) \(item.record.actionId)")
                || (item.record.prev != Self.genesis && belongingHashes.contains(item.record.prev))
            guard ours else { continue }
            belonging.append(item)
            belongingHashes.insert(item.hash)
        }

        var report = AnchorReport(fileRecords: local.count, copyRecords: belonging.count, matching: 0, findings: [])
        var copySeqs: Set<Int> = []
        var highest = 0
        for item in belonging {
            let seq = item.record.seq
            copySeqs.insert(seq)
            if seq < highest {
                report.findings.append(.init(kind: .outOfOrderInCopy, seq: seq, detail: "line \(item.line) of the copy comes after record \(highest)"))
            }
            highest = max(highest, seq)
            if let mine = localBySeq[seq] {
                if mine.hash == item.hash {
                    report.matching += 1
                } else if localHashes.contains(item.hash) {
                    report.findings.append(.init(kind: .outOfOrder, seq: seq,
                        detail: "the copy's record \(seq) (line \(item.line)) is in the file under another number"))
                } else {
                    report.findings.append(.init(kind: .altered, seq: seq,
                        detail: "line \(mine.line) of the file differs from line \(item.line) of the copy (\(item.record.kind.rawValue) "
                            + "\(item.record.action) at \(item.record.time))"))
                }
            } else {
                report.findings.append(.init(kind: localHashes.contains(item.hash) ? .outOfOrder : .missingFromFile, seq: seq,
                    detail: "\(item.record.kind.rawValue) \(item.record.action) at \(item.record.time) is in the copy "
                        + "(line \(item.line)) but not in the file"))
            }
        }
        if belonging.isEmpty, !local.isEmpty {
            report.findings.append(.init(kind: .noneInCopy, seq: nil,
                detail: "the copy holds none of the file's \(local.count) record(s): the file was replaced, or this is not its copy"))
        } else {
            for item in local where !copySeqs.contains(item.record.seq) {
                report.findings.append(.init(kind: .missingFromCopy, seq: item.record.seq,
                    detail: "line \(item.line) of the file was not collected (syslog off or failing when it was written)"))
            }
        }
        return report
    }
}
