/// What `history verify` found.
public struct VerificationReport: Sendable {
    /// A finding, with the line it concerns.
    public struct Finding: Sendable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            /// `prev` is not the hash of the line before: a line was edited, inserted or removed.
            case brokenLink = "broken link"
            /// The sequence numbers skip or repeat.
            case gap = "sequence gap"
            /// A line in the middle is not a record, and no later append explains it.
            case unreadable = "unreadable line"
            /// A record of a format this version does not know.
            case unknownVersion = "unknown format version"
            /// The tip says there were more records than the file holds.
            case truncated
            /// The last record is not the one the tip recorded.
            case lastLineChanged = "last line changed"
            /// The last line has no newline: a crash while writing. Not tampering.
            case tornLastLine = "torn last line"
            /// A torn line closed by a later append. Not tampering.
            case recoveredTornLine = "recovered torn line"
            /// The tip names an earlier record still in the file as written (a crash between the
            /// append and the tip, or a tip that could not be written). Not tampering.
            case tipBehind = "tip behind"
            /// There is no tip file, so truncation of whole lines cannot be ruled out.
            case noTip = "no tip file"
            /// An append found the file's end did not match its tip and recorded it: records were
            /// cut or changed before that line. Reported for good.
            case discontinuity
        }

        public var line: Int?
        public var kind: Kind
        public var detail: String

        /// True for findings that mean the file was changed by something other than appends.
        public var isTampering: Bool {
            switch kind {
            case .brokenLink, .gap, .unreadable, .unknownVersion, .truncated, .lastLineChanged, .discontinuity: true
            case .tornLastLine, .recoveredTornLine, .tipBehind, .noTip: false
            }
        }

        public var description: String {
            (line.map { "line \($0): " } ?? "") + "\(kind.rawValue): \(detail)"
        }
    }

    public var lines: Int
    public var records: Int
    public var findings: [Finding]
    /// Intents with no outcome record, with their line numbers.
    public var openIntents: [(line: Int, record: HistoryRecord)]

    public var tampered: Bool { findings.contains { $0.isTampering } }
    /// The first finding that means tampering.
    public var firstBreak: Finding? { findings.first { $0.isTampering } }
}

extension HistoryStore {
    /// Checks the whole chain, the sequence, the tip, and lists intents without outcomes.
    ///
    /// The file and its tip are read under a shared `flock`, so appends by others (which hold
    /// it exclusively) are seen whole or not at all: never a record without its tip.
    public func verify() throws -> VerificationReport {
        let (lines, tip) = try withSharedLock { (HistoryLine.split($0), self.tip()) }
        var report = VerificationReport(lines: lines.count, records: 0, findings: [], openIntents: [])
        var previousHash = Self.genesis
        var previousSeq = 0
        var pendingTorn: HistoryLine?
        var open: [String: (Int, HistoryRecord)] = [:]
        var order: [String] = []
        var lastRecordLine: HistoryLine?
        for line in lines {
            guard let record = line.record else {
                if !line.complete {
                    report.findings.append(.init(line: line.number, kind: .tornLastLine,
                        detail: "\(line.bytes.count) bytes without a newline (the writer was killed mid-write)"))
                } else {
                    // Only the line right before an append can be a torn line it closed: an
                    // unreadable line followed by another is named itself, not hidden by it.
                    if let earlier = pendingTorn {
                        report.findings.append(.init(line: earlier.number, kind: .unreadable, detail: "not a history record"))
                    }
                    pendingTorn = line
                }
                continue
            }
            report.records += 1
            if let torn = pendingTorn {
                if record.recoveredTornLineAt == torn.offset {
                    report.findings.append(.init(line: torn.number, kind: .recoveredTornLine,
                        detail: "closed by the append on line \(line.number)"))
                } else {
                    report.findings.append(.init(line: torn.number, kind: .unreadable, detail: "not a history record"))
                    previousHash = Self.hash(torn.bytes)
                }
                pendingTorn = nil
            }
            report.findings += Self.linkFindings(record, line, previousHash: previousHash, previousSeq: previousSeq)
            previousHash = Self.hash(line.bytes)
            previousSeq = record.seq
            lastRecordLine = line
            switch record.kind {
            case .intent:
                open[record.actionId] = (line.number, record)
                order.append(record.actionId)
            case .outcome:
                open[record.actionId] = nil
            case .discontinuity, .observation:
                break
            }
        }
        if let torn = pendingTorn {
            report.findings.append(.init(line: torn.number, kind: .unreadable, detail: "not a history record"))
        }
        report.openIntents = order.compactMap { open[$0] }.map { (line: $0.0, record: $0.1) }
        checkTip(lastRecordLine, lines, tip, &report)
        return report
    }

    /// What is wrong with how a record follows the one before: its version, its link, its
    /// sequence number; and a discontinuity it records.
    private static func linkFindings(
        _ record: HistoryRecord, _ line: HistoryLine, previousHash: String, previousSeq: Int
    ) -> [VerificationReport.Finding] {
        var findings: [VerificationReport.Finding] = []
        if record.v != HistoryRecord.formatVersion {
            findings.append(.init(line: line.number, kind: .unknownVersion, detail: "version \(record.v)"))
        }
        if record.prev != previousHash {
            findings.append(.init(line: line.number, kind: .brokenLink,
                detail: line.number == 1 ? "the first record does not start the chain (lines removed before it)"
                    : "does not follow line \(line.number - 1) (that line was edited, or lines were removed or inserted here)"))
        }
        if record.kind == .discontinuity {
            findings.append(.init(line: line.number, kind: .discontinuity,
                detail: (record.discontinuity?.summary ?? "recorded without details") + " (found by an append at \(record.time))"))
        }
        // A discontinuity continues after the highest number written before the cut: a jump
        // up is explained by it; a repeat never is.
        let explainedJump = record.kind == .discontinuity && record.seq > previousSeq
        if record.seq != previousSeq + 1 && !explainedJump {
            findings.append(.init(line: line.number, kind: .gap,
                detail: "sequence \(record.seq) after \(previousSeq)"))
        }
        return findings
    }

    private func checkTip(_ last: HistoryLine?, _ lines: [HistoryLine], _ tip: (seq: Int, hash: String)?, _ report: inout VerificationReport) {
        guard let last, let record = last.record else {
            if let tip, tip.seq > 0 {
                report.findings.append(.init(line: nil, kind: .truncated,
                    detail: "the file holds no record but the tip recorded \(tip.seq)"))
            }
            return
        }
        guard let tip else {
            report.findings.append(.init(line: nil, kind: .noTip, detail: "\(tipPath) is missing"))
            return
        }
        let hash = Self.hash(last.bytes)
        if tip.seq == record.seq {
            if tip.hash != hash {
                report.findings.append(.init(line: last.number, kind: .lastLineChanged,
                    detail: "record \(record.seq) differs from the one written"))
            }
        } else if tip.seq > record.seq {
            report.findings.append(.init(line: nil, kind: .truncated,
                detail: "the file ends at record \(record.seq) but \(tip.seq) were written"))
        } else if let named = lines.last(where: { $0.complete && $0.record?.seq == tip.seq }), Self.hash(named.bytes) == tip.hash {
            // The tip names a record still in the file as written: it was not updated after the
            // last append(s) (a crash, or a tip that could not be written). The next append repairs it.
            report.findings.append(.init(line: last.number, kind: .tipBehind,
                detail: "the tip was not updated after the last \(record.seq - tip.seq == 1 ? "append" : "\(record.seq - tip.seq) appends")"))
        } else {
            report.findings.append(.init(line: nil, kind: .truncated,
                detail: "the tip records \(tip.seq) but the file has \(record.seq): the tip or the file was replaced"))
        }
    }
}
