import ArgumentParser
import ConsoleProfiles
import ECGridKit
import Foundation
import Synchronization

/// `users list|show|find`.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "List, show and find ECGrid users.",
        subcommands: [ListUsers.self, ShowUser.self, FindUsers.self])
}

struct ListUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List users, walking every page (POST /v2/users/list).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Only this network.") var network: Int?
    @Option(help: "Only this mailbox.") var mailbox: Int?
    @Option(name: .customLong("auth-level"), help: "Only this AuthLevel (Root … General).",
        completion: Completions.authLevels, transform: { try AuthLevel.argument($0, kind: "AuthLevel") })
    var authLevel: AuthLevel?
    @Option(help: "Only this status (Development, Active, Preproduction, Suspended, Terminated).",
        completion: Completions.statuses, transform: { try UserStatus.argument($0, kind: "status") })
    var status: UserStatus?
    @Option(help: "Stop after this many users.") var limit: Int?
    @Option(name: .customLong("page-size"), help: "Records asked for per page (1 to 1000).") var pageSize = 100
    @Option(help: "Pages asked for at once (1 to 16).") var concurrency = 4
    @Flag(help: "Print only how many users there are (with --json: {\"count\": N}).") var count = false
    @Flag(help: "One compact JSON object a line, written as the pages arrive (for jq and other streaming readers).")
    var jsonl = false

    func validate() throws {
        guard (1...1000).contains(pageSize) else { throw ValidationError("--page-size must be 1 to 1000.") }
        guard (1...16).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 16.") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if jsonl && output.json { throw ValidationError("--jsonl and --json exclude each other.") }
        if jsonl && count { throw ValidationError("--jsonl and --count exclude each other.") }
    }

    func run() async throws {
        do {
            let (users, total) = try await withConnection(connection) { try await load($0) }
            // --jsonl wrote every user as its page arrived.
            if jsonl { return }
            if count {
                output.json ? Output.json(["count": total]) : Output.print(String(total))
                return
            }
            printUsers(users, json: output.json)
            if !output.json { Output.print("\(users.count) user(s)") }
        } catch {
            throw fail(error, json: output.json)
        }
    }
}

extension ListUsers {
    /// Walks the pages with progress on standard error; with `--jsonl`, writes each page's
    /// users as soon as every page before it has been written. Only a table or `--json` keeps
    /// the users (`--jsonl` and `--count` stream them and keep none): the users and how many.
    func load(_ connection: Connection) async throws -> ([User], Int) {
        // The profile's filters apply where no option says otherwise.
        let defaults = connection.profile?.filters ?? UserListQuery()
        let filter = UserListQuery(
            networkId: network ?? defaults.networkId, mailboxId: mailbox ?? defaults.mailboxId,
            authLevel: authLevel ?? defaults.authLevel,
            status: status ?? defaults.status)
        let progress = ProgressReporter(output)
        let client = progress.observe(connection.client)
        progress.begin("Loading users", total: limit, paged: true)
        defer { progress.finish() }
        let onProgress: @Sendable (ECGridClient.PageProgress) -> Void = { page in
            progress.update(done: page.recordsLoaded, pages: page.pagesLoaded)
        }
        guard jsonl || count else {
            let users = try await client.allUsers(filter, pageSize: pageSize, concurrency: concurrency, limit: limit, onProgress: onProgress)
            return (users, users.count)
        }
        let total = Mutex(0)
        let jsonl = self.jsonl
        try await client.streamUsers(filter, pageSize: pageSize, concurrency: concurrency, limit: limit, onProgress: onProgress) { batch in
            total.withLock { $0 += batch.count }
            if jsonl { progress.clearing { Output.jsonLines(batch) } }
        }
        return ([], total.withLock { $0 })
    }
}

struct ShowUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one user (GET /v2/users/{id}).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var target: UserIDArgument

    func run() async throws {
        let id = try target.id(json: output.json)
        do {
            let user = try await withConnection(connection) { try await ProgressReporter(output).observe($0.client).user(id: id).value }
            if output.json {
                Output.json(user)
            } else {
                printDetail(user)
            }
        } catch {
            throw fail(error, json: output.json)
        }
    }
}

/// Prints one user as aligned `field: value` lines.
func printDetail(_ user: User) {
    let fields: [(String, String?)] = [
        ("User ID", String(user.userId)), ("Login", user.login), ("Name", user.displayName), ("Email", user.email),
        ("Company", user.company), ("Phone", user.phone), ("Network", user.networkId.map(String.init)),
        ("Mailbox", user.mailboxId.map(String.init)), ("AuthLevel", user.authLevel?.rawValue),
        ("Status", user.status?.rawValue), ("Open sessions", user.openSessions.map(String.init)),
        ("Locked out", user.lockoutStatus.map { $0 ? "yes" : "no" }), ("Last login", user.lastLogin?.text),
        ("Created", user.created?.text), ("Modified", user.modified?.text),
    ]
    for (name, value) in fields {
        guard let value else { continue }
        Output.print(name.padding(toLength: 14, withPad: " ", startingAt: 0) + Output.safe(value))
    }
}

struct FindUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find", abstract: "Find users by login (POST /v2/users/by-name); exits 1 when none match.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The login to look for (the same login may exist on several networks).") var login: String

    func run() async throws {
        let users: [User]
        do {
            users = try await withConnection(connection) {
                try await ProgressReporter(output).observe($0.client).usersByName(login: login).value
            }
        } catch {
            throw fail(error, json: output.json)
        }
        printUsers(users, json: output.json)
        if users.isEmpty {
            if !output.json { Output.error("No user has the login '\(login)'.") }
            throw ExitCode(ExitStatus.failure)
        }
    }
}

struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami", abstract: "Show whom the credential belongs to (GET /v2/users/me).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        do {
            let (user, base) = try await withConnection(connection) { connection in
                (try await ProgressReporter(output).observe(connection.client).me().value, connection.client.baseURL)
            }
            if output.json {
                Output.json(user)
            } else {
                Output.print("\(Output.safe(user.login)) (user \(user.userId), \(user.authLevel?.rawValue ?? "unknown AuthLevel"), "
                    + "network \(user.networkId.map(String.init) ?? "-"), mailbox \(user.mailboxId.map(String.init) ?? "-")) at \(base)")
            }
        } catch {
            throw fail(error, json: output.json)
        }
    }
}
