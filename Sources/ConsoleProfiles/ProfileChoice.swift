import ECGridKit
import Foundation

/// The profile a run uses: `--profile NAME`, else the config's `default_profile` when neither
/// `--sandbox` nor `--base-url` says otherwise; nil without a config file.
package enum ProfileChoice {
    /// The profile for `request`, from the config file the environment names. Refused (a
    /// `ConfigError`) when `--profile` names a profile there is not, or there is no config file.
    package static func resolve(
        _ request: ConnectionRequest, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> Profile? {
        let path = ConfigFile.defaultPath(environment: environment)
        let home = environment["HOME"] ?? NSHomeDirectory()
        guard let config = try ConfigFile.load(path: path, home: home) else {
            if let name = request.profile {
                throw ConfigError(path: path, message: "no config file, so no profile \"\(name)\" (see `ecgrid-console profiles`)")
            }
            return nil
        }
        if let name = request.profile {
            guard let profile = config.profile(name) else {
                let known = config.profiles.map(\.name).joined(separator: ", ")
                throw ConfigError(path: path, message: "no profile \"\(name)\"" + (known.isEmpty ? "" : "; profiles: \(known)"))
            }
            return profile
        }
        guard !request.sandbox, request.baseURL == nil, let name = config.defaultProfile else { return nil }
        return config.profile(name)
    }

    /// The API key a profile names, or nil when it names none (then ECGRID_API_KEY applies).
    /// Refused when the variable it names is unset or empty, or its key file is unsafe.
    package static func credential(of profile: Profile, environment: [String: String]) throws -> Secret? {
        switch profile.credential {
        case nil:
            return nil
        case .environment(let name):
            let key = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !key.isEmpty else {
                throw ECGridError(.missingCredentials, detail: "profile \(profile.name) reads the key from \(name), which is not set")
            }
            return Secret(key)
        case .keyFile(let path):
            return try KeyFile.read(path)
        }
    }
}
