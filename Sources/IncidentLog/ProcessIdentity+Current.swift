import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension ProcessIdentity {
    /// This process.
    public static let current: ProcessIdentity = {
        let pid = getpid()
        return ProcessIdentity(pid: pid, start: startTime(of: pid), boot: bootID(), host: hostName())
    }()

    /// True when this record's process is still running (same host, same boot, same start).
    public var isRunning: Bool {
        let here = ProcessIdentity.current
        guard host == here.host, boot == here.boot else { return false }
        if pid == here.pid && start == here.start { return true }
        guard let start, let now = ProcessIdentity.startTime(of: pid) else { return false }
        return now == start
    }

    static func startTime(of pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, starttime is field 22.
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    static func bootID() -> String? {
        (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The machine's host name.
func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

extension OperatorIdentity {
    /// The person at this terminal: local account, host, and the SSH client's address from
    /// `SSH_CLIENT` or `SSH_CONNECTION` when the session came in over SSH.
    public static func local(
        apiUser: APIUser? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> OperatorIdentity {
        var user = environment["USER"] ?? environment["LOGNAME"] ?? ""
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            user = String(cString: name)
        }
        let ssh = (environment["SSH_CLIENT"] ?? environment["SSH_CONNECTION"])?
            .split(separator: " ").first.map(String.init)
        return OperatorIdentity(localUser: user.isEmpty ? "uid \(geteuid())" : user, host: hostName(), sshClient: ssh, apiUser: apiUser)
    }
}
