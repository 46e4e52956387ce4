import Foundation

/// One line of the history file.
public struct HistoryLine: Sendable {
    /// 1-based line number.
    public var number: Int
    /// Byte offset of the line's first byte.
    public var offset: Int
    public var bytes: [UInt8]
    /// False for a last line without its newline (torn by a crash).
    public var complete: Bool
    /// The record, when the line parses as one.
    public var record: HistoryRecord?

    /// The lines of the file; each record decoded unless `decode` is false.
    static func split(_ data: [UInt8], decode: Bool = true) -> [HistoryLine] {
        var lines: [HistoryLine] = []
        var start = 0
        var number = 0
        let decoder = JSONDecoder()
        while start < data.count {
            number += 1
            let end = data[start...].firstIndex(of: 10)
            let stop = end ?? data.count
            let bytes = Array(data[start..<stop])
            let record = decode ? try? decoder.decode(HistoryRecord.self, from: Data(bytes)) : nil
            lines.append(HistoryLine(number: number, offset: start, bytes: bytes, complete: end != nil, record: record))
            start = stop + 1
        }
        return lines
    }

    /// The kind and action ID of the line's record, read from its bytes without decoding it:
    /// the store writes keys sorted and compact, and a quote inside a string is always
    /// escaped, so the first `"actionId":"` and `"kind":"` are the record's own. Nil when the
    /// line is not in that shape (then decode it).
    var head: (kind: HistoryRecord.Kind, actionId: String)? {
        guard let id = Self.value(after: Self.actionIdKey, in: bytes), let kind = Self.value(after: Self.kindKey, in: bytes),
              let parsed = HistoryRecord.Kind(rawValue: kind)
        else { return nil }
        return (parsed, id)
    }

    private static let actionIdKey = Array(#""actionId":""#.utf8)
    private static let kindKey = Array(#""kind":""#.utf8)

    /// The plain string value after the first `key` (no escapes in it), or nil.
    private static func value(after key: [UInt8], in bytes: [UInt8]) -> String? {
        guard bytes.count > key.count else { return nil }
        var index = 0
        while index <= bytes.count - key.count {
            if bytes[index] == key[0], Array(bytes[index..<(index + key.count)]) == key {
                let start = index + key.count
                guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                let value = bytes[start..<end]
                guard !value.contains(UInt8(ascii: "\\")) else { return nil }
                return String(decoding: value, as: UTF8.self)
            }
            index += 1
        }
        return nil
    }
}
