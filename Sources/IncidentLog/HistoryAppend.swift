/// What one append did: the record written, a discontinuity recorded before it, and what went
/// wrong without undoing it.
public struct HistoryAppend: Sendable {
    /// The record asked for (nil only inside the store, before it is written).
    public var record: HistoryRecord?
    /// The discontinuity record written first, when the file's end did not match its tip.
    public var discontinuity: HistoryRecord?
    /// Problems that did not fail the append (the tip could not be written), for the operator.
    public var warnings: [String]

    /// What an append did.
    public init(record: HistoryRecord?, discontinuity: HistoryRecord?, warnings: [String]) {
        self.record = record
        self.discontinuity = discontinuity
        self.warnings = warnings
    }
}
