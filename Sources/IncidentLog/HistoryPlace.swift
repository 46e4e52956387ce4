import Foundation

extension HistoryStore {
    /// The history a run writes to: `ECGRID_CONSOLE_HISTORY`, else the XDG default. Sandbox
    /// actions go to `sandbox-history.jsonl` beside the real one (unless ECGRID_CONSOLE_HISTORY
    /// names a file), so training never mixes with incidents.
    public static func forRun(sandbox: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> HistoryStore {
        let path = defaultPath(environment: environment)
        guard sandbox, (environment["ECGRID_CONSOLE_HISTORY"] ?? "").isEmpty else { return HistoryStore(path: path) }
        return HistoryStore(path: (path as NSString).deletingLastPathComponent + "/sandbox-history.jsonl")
    }
}

extension SyslogForwarder {
    /// The copy of every record to the system log for a run. `ECGRID_CONSOLE_SYSLOG` unset: on
    /// when the host has a log socket (journald's native one, else /dev/log); `off`: none; a
    /// path: that socket. The sandbox's history (training) is copied only to a socket named
    /// explicitly.
    public static func forRun(
        sandbox: Bool, setting: String? = ProcessInfo.processInfo.environment["ECGRID_CONSOLE_SYSLOG"],
        exists: (String) -> Bool = SyslogForwarder.isSocket
    ) -> SyslogForwarder? {
        if sandbox, !(setting ?? "").hasPrefix("/") { return nil }
        return from(setting, exists: exists)
    }
}
