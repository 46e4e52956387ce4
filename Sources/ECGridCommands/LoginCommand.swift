import ArgumentParser
import ECGridKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `login`: log in with a login and password instead of an API key, then open the console.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in with your ECGrid login and password (a JWT session), then open the console on it.",
        discussion: """
            Asks for the login and the password (not echoed) at the terminal, obtains a session \
            (POST /v2/auth/login), shows its context (POST /v2/auth/session), refreshes it before it \
            expires and logs out when the console closes. Nothing is written to disk unless you \
            give --save-token FILE (then only that file, mode 0600, and the session is left open for \
            commands run with ECGRID_TOKEN_FILE=FILE). If the session is revoked while \
            the console runs, it says so and offers to log in again without losing its state.
            """)

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Your ECGrid login (asked for when not given).") var login: String?
    @Option(name: .customLong("save-token"), help: ArgumentHelp(
        "Also write the session token to this file (mode 0600), for scripts.", valueName: "file"),
        completion: .file())
    var saveToken: String?

    func run() async throws {
        let opened = try await Connection.openForConsole(connection, requireCredential: false)
        let session = TokenSession()
        let client = opened.client.withCredentials(session)
        let connected = Connection(client: client, transport: opened.transport, sandbox: opened.sandbox, profile: opened.profile)
        let status: Int32
        do {
            status = try await runLoggedIn(connected, session: session)
        } catch {
            await Self.logout(session, client, deadline: .seconds(5))
            await opened.close()
            throw error
        }
        if let saveToken {
            Output.error("The session stays open for \(saveToken) until it expires (ECGRID_TOKEN_FILE=\(saveToken) uses it). "
                + "Delete the file when done; a reset of your sessions ends it at once.")
        } else {
            // Stopped by a signal: the logout gets a second at most, so the console ends within two.
            let stoppedBySignal = status > 128
            await Self.logout(session, client, deadline: stoppedBySignal ? .seconds(1) : .seconds(5))
            Output.error("Logged out.")
        }
        await opened.close()
        if status != ExitStatus.success { throw ExitCode(status) }
    }

    /// Ends the session on the server within `deadline` (one attempt, no retries): a slow or
    /// unreachable server never keeps the process waiting longer.
    static func logout(_ session: TokenSession, _ client: ECGridClient, deadline: Duration) async {
        var quick = client
        quick.timeout = deadline
        quick.retryPolicy = .none
        await session.logout(using: quick)
    }

    func runLoggedIn(_ connected: Connection, session: TokenSession) async throws -> Int32 {
        let client = connected.client
        let name = login ?? TerminalPrompt.ask("ECGrid login at \(client.baseURL.hostAndPort): ")?
            .trimmingCharacters(in: .whitespaces)
        guard let name, !name.isEmpty, let password = TerminalPrompt.askHidden("Password for \(Output.safe(name)): "),
              !password.isEmpty
        else {
            Output.error("error: no login or password given; nothing was sent.")
            throw ExitCode(ExitStatus.refused)
        }
        let context: SessionInfo
        do {
            try await session.renew(login: name, password: Secret(password), using: client)
            context = try await client.session().value
        } catch {
            throw fail(error, json: false)
        }
        let until = context.expiresAt.map { " until \($0.text)" } ?? ""
        let summary = "Logged in as \(context.login) (\(context.authLevel?.rawValue ?? "unknown level"))\(until); "
            + "refreshed before it expires, logged out on exit."
        Output.error(Output.safe(summary))
        if let saveToken, let token = await session.token {
            do {
                try Self.save(token, to: saveToken)
                Output.error("Session token written to \(saveToken) (mode 0600). Delete it when done.")
            } catch {
                // No session may stay open on the server with no file holding it: end it, and say so.
                await Self.logout(session, client, deadline: .seconds(5))
                Output.error("error: cannot write \(saveToken): \(error). The session was logged out on the server, so none "
                    + "is left open; nothing else was done. Choose a writable path and log in again.")
                throw ExitCode(ExitStatus.failure)
            }
        }
        return await ConsoleSession.run(connected, options: connection, session: session, status: Output.safe(summary))
    }

    /// Writes the token to `path`, created or truncated with mode 0600; never follows a link.
    static func save(_ token: Secret, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let bytes = Array((token.revealed + "\n").utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }
}
