import Foundation

/// A history record found in a copy collected by the host's log pipeline.
public struct CollectedRecord: Sendable {
    /// 1-based line of the copy.
    public var line: Int
    /// SHA-256 of the record's line, as in the history's chain.
    public var hash: String
    /// The record, decoded.
    public var record: HistoryRecord
}

/// Reads history records out of a collected copy: a file written by rsyslog (its default file
/// format, the traditional one, or any template that keeps the message), or the output of
/// `journalctl -o json`. Each record is the whole stored line, so it is found by its start
/// (records are written with sorted keys: `{"action":"…`) and read to the end of the line.
public enum CollectedCopy {
    static let recordStart = Array(#"{"action":""#.utf8)

    /// The records in `bytes`, in the copy's order; other lines are skipped.
    public static func parse(_ bytes: [UInt8]) -> [CollectedRecord] {
        var records: [CollectedRecord] = []
        let decoder = JSONDecoder()
        for line in HistoryLine.split(bytes, decode: false) {
            var message = line.bytes
            if message.first == UInt8(ascii: "{"), !message.starts(with: recordStart) {
                // `journalctl -o json`: the record is the MESSAGE field (a string, or an array of
                // bytes when journald did not take it for text).
                guard let object = try? JSONSerialization.jsonObject(with: Data(message)) as? [String: Any] else { continue }
                if let text = object["MESSAGE"] as? String {
                    message = Array(text.utf8)
                } else if let numbers = object["MESSAGE"] as? [Int] {
                    message = numbers.map { UInt8(truncatingIfNeeded: $0) }
                } else {
                    continue
                }
            }
            guard let start = firstIndex(of: recordStart, in: message) else { continue }
            var end = message.count
            while end > start, [UInt8(ascii: " "), 13, 10].contains(message[end - 1]) { end -= 1 }
            let recordBytes = Array(message[start..<end])
            guard let record = try? decoder.decode(HistoryRecord.self, from: Data(recordBytes)) else { continue }
            records.append(CollectedRecord(line: line.number, hash: HistoryStore.hash(recordBytes), record: record))
        }
        return records
    }

    static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = 0
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
