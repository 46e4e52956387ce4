import ArgumentParser
import ConsoleProfiles
import ECGridKit

/// Where to connect and how long to wait: shared by every command that talks to ECGrid.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "ECGrid base URL (default: $ECGRID_BASE_URL, else \(BaseURL.production)). http:// only to loopback.",
        valueName: "url"))
    var baseURL: String?

    @Flag(name: .long, help: "Start an embedded sandbox with demo users and use its demo operator's key.")
    var sandbox = false

    @Option(name: .long, help: ArgumentHelp(
        "A profile of the config file (see `ecgrid-console profiles`).", valueName: "name"),
        completion: Completions.profiles)
    var profile: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for each answer.", valueName: "seconds"))
    var timeout: Double = 30

    @Flag(name: .customLong("read-only"), help: "Look, never change: state-changing keys and commands are refused.")
    var readOnly = false

    /// Refuses a state-changing command in read-only mode (`--read-only`, or a profile that
    /// says so), before anything is read or sent.
    func refuseIfReadOnly(_ command: String, json: Bool) throws {
        let profile: Profile?
        do {
            profile = try ProfileChoice.resolve(request)
        } catch {
            throw fail(error, json: json)
        }
        guard let why = request.readOnlyRefusal(profile: profile) else { return }
        throw refuse("read-only mode: '\(command)' changes state and is refused; nothing was sent. " + why, json: json, kind: "read-only")
    }

    /// The flags as the library resolves them (see `ConnectionSettings`).
    var request: ConnectionRequest {
        ConnectionRequest(baseURL: baseURL, sandbox: sandbox, profile: profile, readOnly: readOnly)
    }

    func validate() throws {
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be between 0 and 600 seconds.") }
        if sandbox && baseURL != nil { throw ValidationError("--sandbox and --base-url exclude each other.") }
        if sandbox && profile != nil { throw ValidationError("--sandbox and --profile exclude each other.") }
    }
}

/// `--json` for machine-readable output; `--quiet` and `--verbose` for standard error.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print machine-readable JSON (the API's field names) instead of a table.")
    var json = false

    @Flag(name: .long, help: "No progress line on standard error (it is drawn only when standard error is a terminal).")
    var quiet = false

    @Flag(name: .long, help: "Each request to standard error: method, path, HTTP status, latency, attempt (never a header or secret).")
    var verbose = false
}
