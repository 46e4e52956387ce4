import ECGridKit
import ECGridTransport
import Foundation

/// Where a run connects and with what, resolved from the flags, the environment and the
/// profile, in that order of precedence: the base URL from `--base-url`, else
/// `ECGRID_BASE_URL`, else the profile, else production; the credential from the profile's key
/// (its variable or key file), else `ECGRID_API_KEY`, else a saved session (`ECGRID_TOKEN_FILE`);
/// the extra trusted CA from `ECGRID_CA_FILE` and the profile's `ca_file`. Never from an argument.
package struct ConnectionSettings: Sendable {
    /// Where the base URL came from.
    package enum Source: String, Sendable, Equatable {
        case flag, environment, profile, production
    }

    /// Where the requests go.
    package var baseURL: BaseURL
    /// Which of the flag, the environment, the profile and the default gave `baseURL`.
    package var baseURLSource: Source
    /// Nil only when no credential was required and none was found.
    package var credential: Credential?
    /// One more CA to trust (verification stays on), when one is named.
    package var trust: TrustedCA?
    /// The profile in use, if any.
    package var profile: Profile?

    /// Resolves the settings for a run against a real service (not `--sandbox`). Throws
    /// before anything is sent: an unusable or plain-http remote base URL, a CA file that
    /// cannot be read, a profile's key that is missing, and (when `requireCredential`) no
    /// credential at all.
    package static func resolve(
        _ request: ConnectionRequest, profile: Profile?, environment: [String: String], requireCredential: Bool = true
    ) throws -> ConnectionSettings {
        let (text, source) = baseURLText(request, profile: profile, environment: environment)
        let base = try BaseURL(text)
        let trust = try trustedCA(profile: profile, environment: environment)
        let fromProfile = requireCredential
            ? try profile.flatMap { try ProfileChoice.credential(of: $0, environment: environment) }
            : profile.flatMap { try? ProfileChoice.credential(of: $0, environment: environment) }
        let key = fromProfile?.revealed ?? environment["ECGRID_API_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let credential: Credential?
        if !key.isEmpty {
            credential = .apiKey(Secret(key))
        } else if let tokenFile = environment["ECGRID_TOKEN_FILE"], !tokenFile.isEmpty {
            // A session saved by `login --save-token` (owner-only file).
            credential = .bearer(try KeyFile.read(tokenFile))
        } else if requireCredential {
            throw ECGridError(.missingCredentials)
        } else {
            credential = nil
        }
        return ConnectionSettings(baseURL: base, baseURLSource: source, credential: credential, trust: trust, profile: profile)
    }

    /// The base URL's text and where it came from.
    static func baseURLText(
        _ request: ConnectionRequest, profile: Profile?, environment: [String: String]
    ) -> (String, Source) {
        if let flag = request.baseURL { return (flag, .flag) }
        if let variable = environment["ECGRID_BASE_URL"], !variable.isEmpty { return (variable, .environment) }
        if let fromProfile = profile?.baseURL { return (fromProfile, .profile) }
        return (BaseURL.production, .production)
    }

    /// The extra CA to trust: `ECGRID_CA_FILE` and the profile's `ca_file`, both when both are
    /// given (each only adds a root). A file that cannot be read or holds no certificate is
    /// refused before anything is sent.
    package static func trustedCA(profile: Profile?, environment: [String: String]) throws -> TrustedCA? {
        let paths = [environment["ECGRID_CA_FILE"], profile?.caFile].compactMap { $0?.isEmpty == false ? $0 : nil }
        guard !paths.isEmpty else { return nil }
        let loaded = try paths.map { path throws(ECGridError) in try TrustedCA(file: path) }
        return TrustedCA(combining: loaded)
    }
}
