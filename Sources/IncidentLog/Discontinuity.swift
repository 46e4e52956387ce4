/// What an append found at the end of the history that did not match the tip: records cut,
/// the last record changed, or the tip pointing at a record the file does not hold as written.
/// The append that finds it records it first, in a `discontinuity` record, and never re-uses a
/// sequence number: the record after a cut continues after the highest number ever written.
public struct Discontinuity: Codable, Sendable, Equatable {
    /// What kind of mismatch.
    public enum Kind: String, Codable, Sendable {
        /// The file ends before the record the tip names: records were cut.
        case truncated
        /// The file's last record has the tip's number but not its hash.
        case lastRecordChanged = "last-record-changed"
        /// The tip names a record that is not in the file as written.
        case replaced
    }

    /// What kind of mismatch it was.
    public var kind: Kind
    /// The last record the tip named.
    public var expectedSeq: Int
    /// The hash the tip recorded for it.
    public var expectedHash: String
    /// The last record the file held (nil when it held none).
    public var foundSeq: Int?
    /// The hash of the file's last complete line (nil when it had none).
    public var foundHash: String?

    /// A discontinuity: what the tip named, and what the file held.
    public init(kind: Kind, expectedSeq: Int, expectedHash: String, foundSeq: Int?, foundHash: String?) {
        self.kind = kind
        self.expectedSeq = expectedSeq
        self.expectedHash = expectedHash
        self.foundSeq = foundSeq
        self.foundHash = foundHash
    }

    /// One line for an operator: what was expected, what was found.
    public var summary: String {
        let found = foundSeq.map { "record \($0)" } ?? "no record"
        let hash = foundHash.map { " (\($0.prefix(12))…)" } ?? ""
        let what = switch kind {
        case .truncated: "records were cut"
        case .lastRecordChanged: "the last record was changed"
        case .replaced: "the file was replaced or rewritten"
        }
        return "\(what): expected record \(expectedSeq) (\(expectedHash.prefix(12))…) at the end, found \(found)\(hash)"
    }
}
