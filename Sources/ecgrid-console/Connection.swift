import ConsoleProfiles
import ECGridKit
import ECGridSandbox
import Foundation

/// An open connection for one command: the client, its transport, and the embedded sandbox
/// when `--sandbox` was given. Close it when done.
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
        var sandbox: SandboxServer?
        let base: BaseURL
        let credential: (any CredentialProvider)?
        let trust: TrustedCA?
        let profile = try ProfileChoice.resolve(options, environment: environment)
        if options.sandbox {
            let server = try await SandboxServer.start(SandboxConfiguration(activityInterval: .seconds(2)))
            sandbox = server
            base = try BaseURL(server.baseURL)
            credential = StaticCredential(.apiKey(Secret(await server.operatorKey())))
            trust = server.trustedCA
        } else {
            let text = options.baseURL ?? environment["ECGRID_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
                ?? profile?.baseURL ?? BaseURL.production
            base = try BaseURL(text)
            trust = try Self.trustedCA(profile: profile, environment: environment)
            let fromProfile = requireCredential
                ? try profile.flatMap { try ProfileChoice.credential(of: $0, environment: environment) }
                : profile.flatMap { try? ProfileChoice.credential(of: $0, environment: environment) }
            let key = fromProfile?.revealed
                ?? environment["ECGRID_API_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if key.isEmpty, let tokenFile = environment["ECGRID_TOKEN_FILE"], !tokenFile.isEmpty {
                // A session saved by `login --save-token` (owner-only file).
                credential = StaticCredential(.bearer(try KeyFile.read(tokenFile)))
            } else if key.isEmpty {
                if requireCredential { throw ECGridError(.missingCredentials) }
                credential = nil
            } else {
                credential = StaticCredential(.apiKey(Secret(key)))
            }
        }
        let transport = AsyncHTTPTransport(trust: trust)
        let client = ECGridClient(
            baseURL: base, transport: transport, credentials: credential,
            timeout: .milliseconds(Int64(options.timeout * 1000)))
        return Connection(client: client, transport: transport, sandbox: sandbox, profile: profile)
    }

    /// The extra CA to trust: `ECGRID_CA_FILE` and the profile's `ca_file`, both when both are
    /// given (each only adds a root). A file that cannot be read or holds no certificate is
    /// refused before anything is sent.
    static func trustedCA(profile: Profile?, environment: [String: String]) throws -> TrustedCA? {
        let paths = [environment["ECGRID_CA_FILE"], profile?.caFile].compactMap { $0?.isEmpty == false ? $0 : nil }
        guard !paths.isEmpty else { return nil }
        let loaded = try paths.map { path throws(ECGridError) in try TrustedCA(file: path) }
        return TrustedCA(combining: loaded)
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
