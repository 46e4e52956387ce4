import ECGridKit
import Foundation
import TOMLKit

/// `$XDG_CONFIG_HOME/ecgrid-console/config.toml`: named profiles.
///
/// ```toml
/// default_profile = "sandbox"
///
/// [profiles.prod]
/// label = "ECGrid production"
/// base_url = "https://rest.ecgrid.io"
/// api_key_file = "~/.config/ecgrid-console/prod.key"   # or api_key_env = "ECGRID_PROD_KEY"
/// read_only = true
/// production = true
/// page_size = 500
///
/// [profiles.prod.filters]
/// network = 10
/// status = "Active"
/// ```
package struct ConfigFile: Sendable, Equatable {
    package var path: String
    package var profiles: [Profile]
    /// The profile used when `--profile` is not given.
    package var defaultProfile: String?

    package init(path: String, profiles: [Profile], defaultProfile: String? = nil) {
        self.path = path
        self.profiles = profiles
        self.defaultProfile = defaultProfile
    }

    /// The profile called `name`.
    package func profile(_ name: String) -> Profile? { profiles.first { $0.name == name } }

    /// `ECGRID_CONSOLE_CONFIG`, else `$XDG_CONFIG_HOME/ecgrid-console/config.toml`, else
    /// `~/.config/ecgrid-console/config.toml`.
    package static func defaultPath(environment: [String: String]) -> String {
        if let path = environment["ECGRID_CONSOLE_CONFIG"], !path.isEmpty { return path }
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        return base + "/ecgrid-console/config.toml"
    }

    /// Reads the file at `path`; nil when there is none. Refused when the file or its directory
    /// could be changed by anyone but its owner (see `ConfigTrust`).
    package static func load(path: String, home: String = NSHomeDirectory()) throws(ConfigError) -> ConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        try ConfigTrust.check(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(path: path, message: "cannot be read (check its permissions)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: path, message: "is not UTF-8 text")
        }
        return try parse(text, path: path, home: home)
    }

    static let profileKeys: Set<String> = [
        "label", "base_url", "ca_file", "api_key_env", "api_key_file", "read_only", "production", "page_size", "filters",
        "accessible",
    ]
    static let filterKeys: Set<String> = ["network", "mailbox", "auth_level", "status"]

    /// Parses config text; every error names the file, the line and the key.
    package static func parse(_ text: String, path: String, home: String = NSHomeDirectory()) throws(ConfigError) -> ConfigFile {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(path: path, line: error.source.begin.line, message: "not valid TOML: \(error.description)")
        } catch {
            throw ConfigError(path: path, message: "not valid TOML")
        }
        let reader = Reader(path: path, lines: SourceLines(text), home: home)
        var config = ConfigFile(path: path, profiles: [])
        for key in table.keys.sorted() {
            switch key {
            case "default_profile":
                config.defaultProfile = try reader.string(table[key], ["default_profile"])
            case "profiles":
                guard let profiles = table[key]?.table else { throw reader.error(["profiles"], "must be a table of profiles") }
                for name in profiles.keys.sorted() {
                    config.profiles.append(try reader.profile(name, profiles[name]))
                }
            default:
                throw reader.error([key], "unknown key (expected default_profile or [profiles.NAME])")
            }
        }
        if let name = config.defaultProfile, config.profile(name) == nil {
            throw reader.error(["default_profile"], "names no profile: \"\(name)\"")
        }
        return config
    }

    /// Turns TOML values into a profile, with errors that point at the line.
    struct Reader {
        var path: String
        var lines: SourceLines
        var home: String

        func error(_ key: [String], _ message: String) -> ConfigError {
            ConfigError(path: path, line: lines.nearestLine(of: key), key: key.joined(separator: "."), message: message)
        }

        func string(_ value: (any TOMLValueConvertible)?, _ key: [String]) throws(ConfigError) -> String {
            guard let text = value?.string else { throw error(key, "must be a string in quotes") }
            return text
        }

        func bool(_ value: (any TOMLValueConvertible)?, _ key: [String]) throws(ConfigError) -> Bool {
            guard let flag = value?.bool else { throw error(key, "must be true or false") }
            return flag
        }

        func int(_ value: (any TOMLValueConvertible)?, _ key: [String], _ range: ClosedRange<Int>) throws(ConfigError) -> Int {
            guard let number = value?.int, range.contains(number) else {
                throw error(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }

        func profile(_ name: String, _ value: (any TOMLValueConvertible)?) throws(ConfigError) -> Profile {
            let base = ["profiles", name]
            guard let table = value?.table else { throw error(base, "must be a table: [profiles.\(name)]") }
            guard name.range(of: #"^[A-Za-z0-9_.-]{1,40}$"#, options: .regularExpression) != nil else {
                throw error(base, "a profile name is 1 to 40 letters, digits, '.', '_' or '-'")
            }
            var profile = Profile(name: name)
            for key in table.keys.sorted() {
                let path = base + [key]
                switch key {
                case "label":
                    profile.label = try string(table[key], path)
                case "base_url":
                    let text = try string(table[key], path)
                    do {
                        _ = try BaseURL(text)
                    } catch {
                        throw self.error(path, error.explanation)
                    }
                    profile.baseURL = text
                case "ca_file":
                    var file = try string(table[key], path)
                    if file.hasPrefix("~/") { file = home + file.dropFirst() }
                    guard file.hasPrefix("/") else { throw error(path, "must be an absolute path (or start with ~/)") }
                    profile.caFile = file
                case "api_key_env":
                    let variable = try string(table[key], path)
                    guard variable.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil else {
                        throw error(path, "must be the name of an environment variable (the key itself never goes in this file)")
                    }
                    profile.credential = .environment(variable)
                case "api_key_file":
                    var file = try string(table[key], path)
                    if file.hasPrefix("~/") { file = home + file.dropFirst() }
                    guard file.hasPrefix("/") else { throw error(path, "must be an absolute path (or start with ~/)") }
                    profile.credential = .keyFile(file)
                case "read_only":
                    profile.readOnly = try bool(table[key], path)
                case "accessible":
                    profile.accessible = try bool(table[key], path)
                case "production":
                    profile.production = try bool(table[key], path)
                case "page_size":
                    profile.pageSize = try int(table[key], path, 1...1000)
                case "filters":
                    profile.filters = try filters(table[key], path)
                default:
                    throw error(path, "unknown key (known: \(Self.sorted(ConfigFile.profileKeys)))")
                }
            }
            if table["api_key_env"] != nil && table["api_key_file"] != nil {
                throw error(base + ["api_key_file"], "give api_key_env or api_key_file, not both")
            }
            return profile
        }

        func filters(_ value: (any TOMLValueConvertible)?, _ base: [String]) throws(ConfigError) -> UserListQuery {
            guard let table = value?.table else { throw error(base, "must be a table of filters") }
            var query = UserListQuery()
            for key in table.keys.sorted() {
                let path = base + [key]
                switch key {
                case "network": query.networkId = try int(table[key], path, 1...Int(Int32.max))
                case "mailbox": query.mailboxId = try int(table[key], path, 0...Int(Int32.max))
                case "auth_level":
                    let level = AuthLevel.parse(try string(table[key], path))
                    guard level.isKnown, level != .noChange else {
                        throw error(path, "must be one of \(AuthLevel.ordered.map(\.rawValue).joined(separator: ", "))")
                    }
                    query.authLevel = level
                case "status":
                    let text = try string(table[key], path)
                    guard let status = UserStatus.all.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                        throw error(path, "must be one of \(UserStatus.all.map(\.rawValue).joined(separator: ", "))")
                    }
                    query.status = status
                default:
                    throw error(path, "unknown filter (known: \(Self.sorted(ConfigFile.filterKeys)))")
                }
            }
            return query
        }

        static func sorted(_ keys: Set<String>) -> String { keys.sorted().joined(separator: ", ") }
    }
}
