import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Copies history records to the host's log pipeline, so a copy lives beyond the operator's
/// account: journald's native socket where it exists, else `/dev/log` (rsyslog, syslog-ng or
/// journald), as RFC 5424 with structured data. Each record goes in one datagram, whole: the
/// store keeps records short enough (long free text is shortened before hashing), and a copy
/// is never cut. Sends datagrams itself (rather than through syslog(3), which drops silently)
/// so a failure can be reported; a failure never blocks an action.
public struct SyslogForwarder: Sendable {
    /// How records are written on the socket.
    public enum Format: Sendable {
        /// `<PRI>1 TIME HOST ecgrid-console PID KIND [ecgrid@32473 seq=… hash=… …] RECORD`.
        case rfc5424
        /// journald's native protocol: `MESSAGE=RECORD`, `PRIORITY`, `ECGRID_SEQ`, `ECGRID_HASH`, ….
        case journald
    }

    /// journald's native socket.
    public static let journaldSocket = "/run/systemd/journal/socket"
    /// The classic syslog socket.
    public static let devLog = "/dev/log"

    public let socketPath: String
    public let format: Format

    public init(socketPath: String = SyslogForwarder.devLog, format: Format = .rfc5424) {
        self.socketPath = socketPath
        self.format = format
    }

    /// The host's log socket: journald's native one when present, else `/dev/log`; nil when
    /// there is neither.
    public static func systemDefault(exists: (String) -> Bool = SyslogForwarder.isSocket) -> SyslogForwarder? {
        if exists(journaldSocket) { return SyslogForwarder(socketPath: journaldSocket, format: .journald) }
        if exists(devLog) { return SyslogForwarder(socketPath: devLog, format: .rfc5424) }
        return nil
    }

    /// `ECGRID_CONSOLE_SYSLOG`: unset or empty, the host's log socket when one exists; `off`,
    /// none; a path, that socket (journald's protocol when it is a `journal/socket`).
    public static func from(_ setting: String?, exists: (String) -> Bool = SyslogForwarder.isSocket) -> SyslogForwarder? {
        let value = (setting ?? "").trimmingCharacters(in: .whitespaces)
        if value.isEmpty || ["on", "1", "yes", "true"].contains(value.lowercased()) { return systemDefault(exists: exists) }
        if ["off", "0", "no", "false"].contains(value.lowercased()) { return nil }
        return SyslogForwarder(socketPath: value, format: value.hasSuffix("journal/socket") ? .journald : .rfc5424)
    }

    /// True when `path` is a socket.
    public static func isSocket(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFSOCK
    }

    /// Sends one record, `line` being its stored bytes; returns why it failed, or nil.
    public func send(_ record: HistoryRecord, line: [UInt8], file: String) -> String? {
        let message = switch format {
        case .rfc5424: SyslogMessage.rfc5424(record, line: line, file: file)
        case .journald: SyslogMessage.journald(record, line: line, file: file)
        }
        return send(datagram: message)
    }

    func send(datagram message: [UInt8]) -> String? {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return "socket: \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(socketPath.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return "socket path too long" }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in pathBytes.enumerated() { buffer[index] = byte }
            buffer[pathBytes.count] = 0
        }
        var bufferSize = Int32(max(message.count + 1024, 64 * 1024))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &bufferSize, socklen_t(MemoryLayout<Int32>.size))
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                message.withUnsafeBytes { buffer in
                    sendto(descriptor, buffer.baseAddress, buffer.count, 0, socketAddress, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        return sent < 0 ? "\(socketPath): \(String(cString: strerror(errno)))" : nil
    }
}
