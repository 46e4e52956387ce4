import ArgumentParser
import ConsoleProfiles
import ECGridKit
import Foundation
import IncidentLog

/// Values the shell completion scripts offer for options (`--generate-completion-script
/// bash|zsh|fish`): the names the CLI contract documents.
enum Completions {
    static let authLevels = CompletionKind.list(AuthLevel.ordered.map(\.rawValue))
    static let statuses = CompletionKind.list(UserStatus.all.map(\.rawValue))

    /// Profile names from the config file, read when the shell asks: the completion script
    /// calls the binary back (`---completion`), which reads the config ECGRID_CONSOLE_CONFIG or
    /// XDG_CONFIG_HOME names. An unreadable or broken config offers nothing (the error shows
    /// when the command runs, not in the middle of a completion).
    static let profiles = CompletionKind.custom { _, _, prefix in profileNames(prefix: prefix) }

    static func profileNames(prefix: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let path = ConfigFile.defaultPath(environment: environment)
        guard let config = try? ConfigFile.load(path: path, home: environment["HOME"] ?? NSHomeDirectory()) else { return [] }
        return config.profiles.map(\.name).filter { $0.hasPrefix(prefix) }.sorted()
    }
}

/// `history --outcome` takes an `ActionStatus` by its word: argument-parser validates it and
/// the completion scripts offer every word.
extension ActionStatus: ExpressibleByArgument {}

/// `history --action` takes a `UserAction` by the name the history records.
extension UserAction: ExpressibleByArgument {}

extension AuthLevel {
    /// `--auth-level`: a documented level, matched case-insensitively (`mailboxuser`); any
    /// other is a usage error (exit 64) that names the known ones.
    static func argument(_ text: String) throws -> AuthLevel {
        let level = AuthLevel.parse(text)
        guard level.isKnown else {
            throw ValidationError("Unknown AuthLevel '\(text)'. Known: \(AuthLevel.ordered.map(\.rawValue).joined(separator: ", ")).")
        }
        return level
    }
}

extension UserStatus {
    /// `--status`: a documented status, matched case-insensitively; any other is a usage error.
    static func argument(_ text: String) throws -> UserStatus {
        let status = UserStatus.parse(text)
        guard status.isKnown else {
            throw ValidationError("Unknown status '\(text)'. Known: \(UserStatus.all.map(\.rawValue).joined(separator: ", ")).")
        }
        return status
    }
}
