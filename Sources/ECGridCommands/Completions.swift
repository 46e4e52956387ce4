import ArgumentParser
import ConsoleProfiles
import ECGridKit
import Foundation

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

/// `history --outcome` takes an `ActionStatus` by its word: argument-parser validates it, the
/// completion scripts offer every word, and `--help` and the man page say what each means.
extension ActionStatus: ExpressibleByArgument {
    public static var allValueDescriptions: [String: String] {
        described { status in
            switch status {
            case .inFlight: "the intent is recorded and no answer has come yet (still running)"
            case .succeeded: "the server confirmed it"
            case .failed: "the server answered that it did not act"
            case .unknown: "sent, no usable answer: the server may have acted; check before repeating"
            case .notSent: "never sent (refused first, or the user could not be re-read)"
            case .missing: "its outcome record may have been cut (history verify says where)"
            }
        }
    }
}

/// `history --action` takes a `UserAction` by the name the history records.
extension UserAction: ExpressibleByArgument {
    public static var allValueDescriptions: [String: String] {
        described { action in
            switch action {
            case .resetSessions: "reset sessions (ecgrid-console reset)"
            case .rotateKey: "a new API key (ecgrid-console rotate-key)"
            case .terminate: "terminate the user (ecgrid-console terminate)"
            case .setPassword: "a new password (a step of ecgrid-console contain)"
            case .deleteKey: "an API key deleted (a step of ecgrid-console contain)"
            case .sendNotice: "an SMS notice sent (a step of ecgrid-console contain)"
            }
        }
    }
}

extension ExpressibleByArgument where Self: CaseIterable & RawRepresentable, RawValue == String {
    /// Each value's word with what it means, for `--help` and the man page.
    static func described(_ meaning: (Self) -> String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, meaning($0)) })
    }
}

extension OpenNameSet {
    /// An option's value (`--auth-level`, `--status`): a known name, matched case-insensitively
    /// (`mailboxuser`); any other is a usage error (exit 64) that names the known ones.
    static func argument(_ text: String, kind: String) throws -> Self {
        let value = parse(text)
        guard value.isKnown else {
            throw ValidationError("Unknown \(kind) '\(text)'. Known: \(documented.map(\.rawValue).joined(separator: ", ")).")
        }
        return value
    }
}
