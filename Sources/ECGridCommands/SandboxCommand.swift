import ArgumentParser
import ConsoleRuntime
import ECGridKit
import ECGridSandbox
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `sandbox`: serve a local ECGrid sandbox in the foreground.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve a local ECGrid sandbox on 127.0.0.1 until interrupted.",
        discussion: """
            It speaks HTTPS, as production does, with a throwaway CA made at start: its certificate is \
            written to --ca-out (not a secret), and a client trusts it with ECGRID_CA_FILE. --http \
            serves plain HTTP instead (loopback only).
            Faults: --fault KIND[:PROBABILITY][@PATH-PREFIX], repeatable; KIND is one of \
            \(FaultKind.allCases.map(\.rawValue).joined(separator: ", ")). Switch them while it runs \
            with PUT /sandbox/faults (a JSON body like the one GET /sandbox/faults returns).
            """)

    @Option(help: "Port on 127.0.0.1 (0: any free port).") var port = 8_026
    @Option(help: "Users in all, 3 to 100000.") var users = 300
    @Option(help: "Seed for the generated users and keys.") var seed: UInt64 = 20_261_124
    @Option(name: .customLong("latency-ms"), help: "Delay added to every answer.") var latencyMs = 0
    @Option(name: .customLong("rate-limit"), help: "Requests a second before 429 RateLimitExceeded.") var rateLimit: Int?
    @Option(help: "A fault to inject (see below).") var fault: [String] = []
    @Option(name: .customLong("activity-seconds"), help: "Log in a random user this often (0: never).")
    var activitySeconds: Double = 2
    @Flag(name: .long, help: "Serve plain HTTP instead of HTTPS.") var http = false
    @Option(name: .customLong("ca-out"), help: ArgumentHelp(
        "Where to write the sandbox's CA certificate (default: a file in the temporary directory).", valueName: "path"))
    var caOut: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535.") }
        guard (3...100_000).contains(users) else { throw ValidationError("--users must be 3 to 100000.") }
        for spec in fault where FaultRule(parsing: spec) == nil {
            throw ValidationError("Cannot read --fault '\(spec)': use KIND[:PROBABILITY][@PATH-PREFIX].")
        }
        if let rateLimit, rateLimit < 1 { throw ValidationError("--rate-limit must be at least 1.") }
    }

    func run() async throws {
        let configuration = SandboxConfiguration(
            port: port, userCount: users, seed: seed,
            activityInterval: activitySeconds > 0 ? .milliseconds(Int64(activitySeconds * 1000)) : nil,
            faults: FaultSettings(latencyMs: latencyMs, rateLimitPerSecond: rateLimit,
                rules: fault.compactMap(FaultRule.init(parsing:))),
            tls: !http)
        let server: SandboxServer
        do {
            server = try await SandboxServer.start(configuration)
        } catch {
            Output.error("error: the sandbox could not listen on 127.0.0.1:\(port) (\(error)). Is the port taken? Try --port 0.")
            throw ExitCode(ExitStatus.failure)
        }
        let store = server.store
        var caPath: String?
        if server.identity != nil {
            let path = caOut ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("ecgrid-sandbox-\(server.port)-ca.pem")
            do {
                try server.writeCA(to: path)
                caPath = path
            } catch {
                Output.error("error: cannot write the sandbox's CA certificate to \(path): \(error.localizedDescription)")
                await server.stop()
                throw ExitCode(ExitStatus.refused)
            }
        }
        let trustLine = caPath.map { "  export ECGRID_CA_FILE=\($0)\n" } ?? ""
        Output.print("""
            ECGrid sandbox on \(server.baseURL) with \(await store.userCount) users.
            \(await Self.accountTable(store))
              Every user's password starts as \(SandboxAccounts.passwordPrefix)<userId>; a user may hold several API keys.
            Try:
            \(trustLine)  export ECGRID_API_KEY=\(await server.operatorKey())
              ecgrid-console users list --base-url \(server.baseURL)
            Press Ctrl-C to stop.
            """)
        await waitForTermination()
        await server.stop()
        if let caPath { try? FileManager.default.removeItem(atPath: caPath) }
        Output.print("Sandbox stopped.")
    }

    /// The demo accounts in aligned columns: login, ID, AuthLevel, password, then every API key
    /// (the primary first), one a line.
    static func accountTable(_ store: SandboxStore) async -> String {
        let accounts = [
            ("operator", SandboxAccounts.operatorID), ("viewer", SandboxAccounts.viewerID), ("netadmin", SandboxAccounts.netAdminID),
        ]
        var rows = [["account", "login", "ID", "AuthLevel", "password", "API keys (primary first)"]]
        for (name, id) in accounts {
            let user = await store.user(id)
            let keys = await store.apiKeys(of: id)
            rows.append([
                name, user?.login ?? "", String(id), user?.authLevel?.rawValue ?? "", await store.password(of: id) ?? "",
                keys.first ?? "",
            ])
            for key in keys.dropFirst() { rows.append(["", "", "", "", "", key]) }
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            var line = "  " + zip(row, widths).map { cell, width in cell.padding(toLength: width, withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// Returns on SIGINT, SIGTERM or SIGHUP (the console's own `SignalWatch`); a second one
    /// then ends the process at once.
    func waitForTermination() async {
        let once = OnceFlag()
        var watch: SignalWatch?
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            watch = SignalWatch(wake: { if once.claim() { continuation.resume() } })
        }
        watch?.stop()
    }
}

/// Lets exactly one caller through.
final class OnceFlag: Sendable {
    private let done = Atomic<Bool>(false)

    func claim() -> Bool { done.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged }
}
