import ECGridKit
import Foundation
import Logging
import Synchronization

/// Where log messages go. Never to the terminal: the console owns the screen and the commands'
/// output is for people and scripts. With `ECGRID_CONSOLE_LOG=FILE` they are appended to that
/// file (created owner-only), at `ECGRID_CONSOLE_LOG_LEVEL` (default `info`); otherwise they are
/// dropped. Messages never carry a credential: the client logs requests by method and path.
enum Logs {
    static func bootstrap(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["ECGRID_CONSOLE_LOG"].flatMap { $0.isEmpty ? nil : $0 }
        let level = environment["ECGRID_CONSOLE_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        let file = path.flatMap(LogFile.open)
        if path != nil, file == nil {
            Output.error("warning: cannot write the log file \(Output.safe(path ?? "")); logging is off.")
        }
        LoggingSystem.bootstrap { label in
            guard let file else { return SwiftLogNoOpLogHandler() }
            var handler = FileLogHandler(label: label, file: file)
            handler.logLevel = level
            return handler
        }
    }
}

/// An append-only log file shared by every logger; each message is one `write`.
final class LogFile: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    static func open(_ path: String) -> LogFile? {
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        return descriptor < 0 ? nil : LogFile(descriptor: descriptor)
    }

    func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(10)
        _ = bytes.withUnsafeBufferPointer { Foundation.write(descriptor, $0.baseAddress, $0.count) }
    }

    deinit { close(descriptor) }
}

/// One line a message: time, level, label, message, metadata.
struct FileLogHandler: LogHandler {
    let label: String
    let file: LogFile
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let fields = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = ECGridDate(Date()).text
        // Newlines in a message would forge log lines: they are escaped.
        let message = "\(event.message)".replacingOccurrences(of: "\n", with: "\\n")
        file.write("\(time) \(event.level) \(label): \(message)\(fields)")
    }
}
