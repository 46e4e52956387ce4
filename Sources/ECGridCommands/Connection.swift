import ArgumentParser
import ConsoleProfiles
import ConsoleTerminal
import ECGridKit
import ECGridTransport
import ECGridSandbox
import Foundation

/// An open connection for one command: the client, its transport, and the embedded sandbox
/// when `--sandbox` was given. Close it when done. What it connects to and with which
/// credential is decided by `ConnectionSettings` (ConsoleProfiles); this only opens it.
struct Connection {
    let client: ECGridClient
    let transport: AsyncHTTPTransport
    let sandbox: SandboxServer?
    /// The profile in use, if any.
    let profile: Profile?

    /// Opens a connection from the options and the environment (`ECGRID_BASE_URL`,
    /// `ECGRID_API_KEY`). The key is read from the environment only, never from arguments.
    static func open(
        _ options: ConnectionOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
        requireCredential: Bool = true
    ) async throws -> Connection {
        let profile = try ProfileChoice.resolve(options.request, environment: environment)
        let timeout = Duration.milliseconds(Int64(options.timeout * 1000))
        if options.sandbox {
            let server = try await SandboxServer.start(SandboxConfiguration(activityInterval: .seconds(2)))
            let transport = AsyncHTTPTransport(trust: server.trustedCA)
            let client = try await server.operatorClient(transport: transport, timeout: timeout)
            return Connection(client: client, transport: transport, sandbox: server, profile: profile)
        }
        let settings = try ConnectionSettings.resolve(
            options.request, profile: profile, environment: environment, requireCredential: requireCredential)
        let transport = AsyncHTTPTransport(trust: settings.trust)
        let client = ECGridClient(
            baseURL: settings.baseURL, transport: transport, credentials: settings.credential.map(StaticCredential.init),
            timeout: timeout)
        return Connection(client: client, transport: transport, sandbox: nil, profile: profile)
    }

    /// The connection a full-screen console runs on: the terminal is checked first (exit 2,
    /// nothing sent, when it cannot show the console), then the connection is opened (a failure
    /// reported as every command reports one).
    static func openForConsole(_ options: ConnectionOptions, requireCredential: Bool = true) async throws -> Connection {
        do {
            try CursesTerminal.preflight()
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(ExitStatus.refused)
        }
        do {
            return try await open(options, requireCredential: requireCredential)
        } catch {
            throw fail(error, json: false)
        }
    }

    func close() async {
        await transport.shutdown()
        await sandbox?.stop()
    }
}

/// Runs `body` with an open connection and always closes it.
func withConnection<T>(
    _ options: ConnectionOptions, requireCredential: Bool = true, _ body: (Connection) async throws -> T
) async throws -> T {
    History.reportAbandoned(sandbox: options.sandbox)
    let connection = try await Connection.open(options, requireCredential: requireCredential)
    do {
        let result = try await body(connection)
        await connection.close()
        return result
    } catch {
        await connection.close()
        throw error
    }
}
