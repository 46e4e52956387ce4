import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Copies history records to the host's syslog socket (`/dev/log`), so the machine's log
/// pipeline keeps them beyond the operator's account. Sends RFC 3164 datagrams itself (rather
/// than through syslog(3), which drops silently) so a failure can be reported. A failure never
/// blocks an action.
public struct SyslogForwarder: Sendable {
    public let socketPath: String
    /// Facility `authpriv` (10), severity `notice` (5).
    let priority = 10 * 8 + 5

    public init(socketPath: String = "/dev/log") { self.socketPath = socketPath }

    /// Sends one record line; returns why it failed, or nil.
    public func send(_ line: String) -> String? {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
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
        let message = Array("<\(priority)>ecgrid-console[\(getpid())]: \(line)".utf8.prefix(8 * 1024))
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
