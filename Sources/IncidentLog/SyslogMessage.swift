import ECGridKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The datagrams `SyslogForwarder` sends. The message is always the record's stored line, whole,
/// so a collected copy can be checked byte for byte (`history verify --against`).
enum SyslogMessage {
    /// Facility `authpriv` (10).
    static let facility = 10
    /// The structured-data ID: RFC 5424's example enterprise number (32473), for private use.
    static let structuredDataID = "ecgrid@32473"

    /// Severity by what the record says: an outcome that failed or is unknown, and a
    /// discontinuity, rank above a success.
    static func severity(_ record: HistoryRecord) -> Int {
        switch record.kind {
        case .discontinuity: return 2  // critical: the history was cut or changed
        case .intent: return 5  // notice
        // A session back after a containment: someone may still hold a credential.
        case .observation: return record.observation?.alarming == true ? 1 : 5  // alert, else notice
        case .outcome:
            switch record.result?.status {
            case .unknown, .missing, .inFlight: return 3  // error: check the user
            case .failed: return 4  // warning
            case .succeeded, .notSent, nil: return 5  // notice
            }
        }
    }

    /// The fields every copy carries beside the record.
    static func fields(_ record: HistoryRecord, line: [UInt8], file: String) -> [(String, String)] {
        var fields = [("seq", String(record.seq)), ("hash", HistoryStore.hash(line)), ("prev", record.prev),
                      ("kind", record.kind.rawValue), ("actionId", record.actionId), ("action", record.action)]
        if let status = record.result?.status { fields.append(("outcome", status.rawValue)) }
        if let user = record.target?.userId { fields.append(("userId", String(user))) }
        fields.append(("file", file))
        return fields
    }

    static func rfc5424(_ record: HistoryRecord, line: [UInt8], file: String) -> [UInt8] {
        let priority = facility * 8 + severity(record)
        let host = headerField(hostName())
        let parameters = fields(record, line: line, file: file).map { "\($0.0)=\"\(escapeParameter($0.1))\"" }
        let header = "<\(priority)>1 \(record.time) \(host) ecgrid-console \(getpid()) \(record.kind.rawValue) "
            + "[\(structuredDataID) \(parameters.joined(separator: " "))] "
        return Array(header.utf8) + line
    }

    static func journald(_ record: HistoryRecord, line: [UInt8], file: String) -> [UInt8] {
        var fields: [(String, [UInt8])] = [
            ("MESSAGE", line), ("PRIORITY", Array(String(severity(record)).utf8)),
            ("SYSLOG_FACILITY", Array(String(facility).utf8)), ("SYSLOG_IDENTIFIER", Array("ecgrid-console".utf8)),
            ("SYSLOG_PID", Array(String(getpid()).utf8)),
        ]
        for (name, value) in self.fields(record, line: line, file: file) {
            fields.append(("ECGRID_" + journalName(name), Array(value.utf8)))
        }
        var datagram: [UInt8] = []
        for (name, value) in fields {
            datagram += Array(name.utf8)
            if value.contains(10) {
                // Binary form: name, newline, little-endian 64-bit length, value, newline.
                datagram.append(10)
                var length = UInt64(value.count).littleEndian
                withUnsafeBytes(of: &length) { datagram += $0 }
                datagram += value
            } else {
                datagram.append(UInt8(ascii: "="))
                datagram += value
            }
            datagram.append(10)
        }
        return datagram
    }

    /// `actionId` → `ACTION_ID`.
    static func journalName(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase { result += "_" }
            result += character.uppercased()
        }
        return result
    }

    /// RFC 5424 header fields are printable ASCII without spaces; `-` when empty.
    static func headerField(_ text: String) -> String {
        let printable = text.unicodeScalars.filter { $0.value > 32 && $0.value < 127 }.map(String.init).joined()
        return printable.isEmpty ? "-" : String(printable.prefix(255))
    }

    /// PARAM-VALUE escapes: `"`, `\` and `]` get a backslash.
    static func escapeParameter(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "\"" || character == "\\" || character == "]" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
