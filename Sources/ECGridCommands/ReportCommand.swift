import ArgumentParser
import ECGridKit
import Foundation
import IncidentLog
import IncidentReport
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// `history report [--reason TEXT] [--user ID] [--since D] [--until D] [--file A …] [--against F]
/// [--format md|json|html] [-o FILE] [--force] [--sign KEYFILE]`: the incident's write-up.
struct ReportHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The incident report: open items first, what was done to each user, every record, and the integrity of it all.",
        discussion: """
            Made from this machine's history, or from the copies --file names (several hosts' histories merge into \
            one timeline), for the records of --reason (the incident or ticket, as the operators typed it) and the \
            other filters. Markdown by default (pastes into a ticket), JSON with a versioned schema for a SIEM, or one \
            self-contained HTML file that prints on A4 and Letter. Each form ends with the SHA-256 of its own body. \
            SOURCE_DATE_EPOCH fixes the 'made at' time, so the same inputs give the same bytes. --sign signs the \
            written file with ssh-keygen -Y sign (namespace ecgrid-console-report) into FILE.sig. The history never \
            holds a password, an API key string or a token, so no report does.
            """)

    @Flag(help: "Report on the sandbox's history instead of the real one.") var sandbox = false
    @Option(help: ArgumentHelp("Only the records of this reason or ticket, as typed.", valueName: "text")) var reason: String?
    @Option(help: "Only records on this user ID.") var user: Int?
    @Option(help: ArgumentHelp("Only records since: 2026-11-24, an ISO date-time, or an age like 12h, 7d.", valueName: "date"))
    var since: String?
    @Option(help: ArgumentHelp("Only records until: 2026-11-24, an ISO date-time, or an age like 12h.", valueName: "date"))
    var until: String?
    @Option(name: .customLong("file"), help: ArgumentHelp("A history copied from a host; repeat for several.", valueName: "path"))
    var files: [String] = []
    @Option(help: ArgumentHelp("A collected copy to compare each history with (rsyslog's file or journalctl -o json).",
        valueName: "file"), completion: .file())
    var against: String?
    @Option(help: "md (default), json or html.") var format: ReportFormat = .md
    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write the report to this file.", valueName: "file"),
        completion: .file())
    var output: String?
    @Flag(help: "Overwrite -o FILE (and FILE.sig) when they exist.") var force = false
    @Option(help: ArgumentHelp("Sign the written report with this SSH private key (ssh-keygen -Y sign) into FILE.sig.",
        valueName: "keyfile"), completion: .file())
    var sign: String?

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, SinceParser.parse(value, now: Date()) == nil {
                throw ValidationError("Cannot read \(name) '\(value)': use 2026-11-24, an ISO date-time, or 90m, 12h, 7d.")
            }
        }
        if sign != nil && output == nil { throw ValidationError("--sign signs a file: give -o FILE too.") }
    }

    func run() throws {
        let paths = files.isEmpty ? [History.store(sandbox: sandbox).path] : files
        let now = Date()
        let filter = ReportFilter(
            reason: reason, userId: user, since: since.flatMap { SinceParser.parse($0, now: now) },
            until: until.flatMap { SinceParser.parse($0, now: now) })
        let environment = ProcessInfo.processInfo.environment
        let madeAt = environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:)) ?? now
        let making = IncidentReport.Making(
            madeAt: madeAt, tool: "ecgrid-console \(ECGridKitInfo.version)", commit: BuildInfo.commit, timeZone: .current)
        let report = IncidentReport.build(paths: paths, filter: filter, against: against, making: making)
        let bytes = format.render(report)
        guard let output else {
            Output.write(bytes)
            return
        }
        try write(bytes, to: output)
        Output.error("Report written to \(Output.safe(output)) (\(format.rawValue), \(report.timeline.count) records, "
            + "\(report.openItems.count) open item(s)).")
        if let sign { try self.sign(output, with: sign) }
    }

    /// Writes a new file (an existing one only with `--force`); never through a link.
    private func write(_ bytes: [UInt8], to path: String) throws {
        let flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (force ? O_TRUNC : O_EXCL)
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else {
            let why = errno == EEXIST ? "it exists (add --force to replace it)" : String(cString: strerror(errno))
            throw refuse("the report cannot be written to \(path): \(why).", json: false)
        }
        defer { close(descriptor) }
        guard SystemCall.writeAll(descriptor, bytes), fsync(descriptor) == 0 else {
            throw ExitCode(ExitStatus.failure)
        }
    }

    /// `ssh-keygen -Y sign -f KEY -n ecgrid-console-report FILE`, which writes `FILE.sig`.
    private func sign(_ path: String, with key: String) throws {
        let signature = path + ".sig"
        if FileManager.default.fileExists(atPath: signature) {
            guard force else { throw refuse("\(signature) exists (add --force to replace it); the report was written, not signed.", json: false) }
            try? FileManager.default.removeItem(atPath: signature)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        process.arguments = ["-q", "-Y", "sign", "-f", key, "-n", ReportSignature.namespace, path]
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw refuse("ssh-keygen could not be started (is openssh-client installed?); the report was written, not signed.", json: false)
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Output.error("error: ssh-keygen -Y sign failed (status \(process.terminationStatus)); the report was written, not signed.")
            throw ExitCode(ExitStatus.failure)
        }
        Output.error("Signed: \(Output.safe(signature)). Check it with: ssh-keygen -Y verify -f allowed_signers -I OPERATOR "
            + "-n \(ReportSignature.namespace) -s \(Output.safe(signature)) < \(Output.safe(path))")
    }
}

/// The namespace of a report's signature, as `ssh-keygen -Y` calls it.
enum ReportSignature {
    static let namespace = "ecgrid-console-report"
}

extension ReportFormat: ExpressibleByArgument {}
