import ArgumentParser
import ConsoleProfiles
import ECGridKit
import Foundation

/// `profiles [--json]`: the profiles of the config file, and whether each one's credential
/// can be used right now (never the credential itself).
struct ProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the profiles of the config file ($XDG_CONFIG_HOME/ecgrid-console/config.toml).",
        discussion: """
            A profile names a base URL, where the API key comes from (api_key_env or api_key_file; \
            never the key itself), whether it is read-only or production, a banner label, a page \
            size and default filters. Use one with --profile NAME. A key file readable by anyone \
            but its owner is refused.
            """)

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let path = ConfigFile.defaultPath(environment: environment)
        let config: ConfigFile?
        do {
            config = try ConfigFile.load(path: path, home: environment["HOME"] ?? NSHomeDirectory())
        } catch {
            throw fail(error, json: output.json)
        }
        guard let config, !config.profiles.isEmpty else {
            if output.json {
                Output.json(ProfilesReport(path: path, defaultProfile: nil, profiles: []))
            } else {
                Output.print("No profiles: \(path) does not exist or names none. For example:")
                Output.print("""

                      [profiles.prod]
                      label = "ECGrid production"
                      base_url = "https://rest.ecgrid.io"
                      api_key_file = "~/.config/ecgrid-console/prod.key"   # chmod 600; or api_key_env = "NAME"
                      read_only = true
                      production = true
                    """)
            }
            return
        }
        let rows = config.profiles.map { ProfileRow($0, isDefault: $0.name == config.defaultProfile, environment: environment) }
        if output.json {
            Output.json(ProfilesReport(path: path, defaultProfile: config.defaultProfile, profiles: rows))
            return
        }
        Output.table(
            ["NAME", "LABEL", "MODE", "KEY", "BASE URL", "KEY FROM"],
            rows.map { row in
                [row.name + (row.isDefault ? " (default)" : ""), row.label,
                 [row.production ? "PRODUCTION" : nil, row.readOnly ? "read-only" : "read-write"].compactMap { $0 }.joined(separator: ", "),
                 row.credentialState == "ok" ? "ok" : row.credentialState.hasPrefix("refused") ? "REFUSED" : "NOT SET",
                 row.baseURL ?? "(ECGRID_BASE_URL or \(BaseURL.production))", row.credential]
            },
            maxWidths: [1: 32, 4: 48])
        for row in rows where row.credentialState != "ok" {
            Output.print("\(row.name): \(row.credential): \(row.credentialState)")
        }
        Output.print("\(rows.count) profile(s) in \(path)")
    }
}

/// One profile as `profiles` shows it.
struct ProfileRow: Encodable {
    var name: String
    var label: String
    var baseURL: String?
    var credential: String
    /// `ok`, or why it cannot be used now.
    var credentialState: String
    var readOnly: Bool
    var production: Bool
    var pageSize: Int?
    var isDefault: Bool

    init(_ profile: Profile, isDefault: Bool, environment: [String: String]) {
        name = profile.name
        label = profile.label
        baseURL = profile.baseURL
        credential = profile.credential?.description ?? "environment variable ECGRID_API_KEY"
        do {
            let key = try ProfileChoice.credential(of: profile, environment: environment)
                ?? environment["ECGRID_API_KEY"].flatMap { $0.isEmpty ? nil : Secret($0) }
            credentialState = key == nil ? "not set" : "ok"
        } catch let error as ConfigError {
            credentialState = "refused: " + error.message
        } catch let error as ECGridError {
            credentialState = error.explanation
        } catch {
            credentialState = "unusable"
        }
        readOnly = profile.readOnly
        let host = profile.baseURL.flatMap { try? BaseURL($0) }?.host
        production = profile.production ?? (host == BaseURL.productionHost)
        pageSize = profile.pageSize
        self.isDefault = isDefault
    }
}

struct ProfilesReport: Encodable {
    var path: String
    var defaultProfile: String?
    var profiles: [ProfileRow]
}
