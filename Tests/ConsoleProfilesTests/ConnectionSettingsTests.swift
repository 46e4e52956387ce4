import ConsoleProfiles
import ECGridKit
import Foundation
import Testing

/// A private directory (0700) with a config file, removed afterwards.
struct ConfigFixture {
    let directory = NSTemporaryDirectory() + "ecgrid-settings-" + UUID().uuidString
    var configPath: String { directory + "/config.toml" }

    init(_ config: String?) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let config {
            try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: configPath)
        }
    }

    /// An environment that names this config and nothing else, plus `extra`.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["ECGRID_CONSOLE_CONFIG": configPath, "HOME": directory].merging(extra) { $1 }
    }

    func writeKeyFile(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
        let path = directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

let twoProfiles = """
    default_profile = "lab"

    [profiles.lab]
    base_url = "http://127.0.0.1:8026"
    api_key_env = "LAB_KEY"

    [profiles.ro]
    base_url = "http://127.0.0.1:9000"
    read_only = true
    """

@Suite("Connection settings: flag, then environment, then profile")
struct ConnectionSettingsTests {
    func resolve(_ request: ConnectionRequest, _ fixture: ConfigFixture, _ extra: [String: String], requireCredential: Bool = true)
        throws -> ConnectionSettings
    {
        let environment = fixture.environment(extra)
        let profile = try ProfileChoice.resolve(request, environment: environment)
        return try ConnectionSettings.resolve(request, profile: profile, environment: environment, requireCredential: requireCredential)
    }

    @Test("the base URL: --base-url beats ECGRID_BASE_URL beats the profile beats production")
    func baseURLPrecedence() throws {
        let fixture = try ConfigFixture(twoProfiles)
        defer { fixture.remove() }
        let key = ["ECGRID_API_KEY": "k", "LAB_KEY": "lab"]
        let flag = try resolve(ConnectionRequest(baseURL: "http://127.0.0.1:1", profile: "lab"), fixture,
            key.merging(["ECGRID_BASE_URL": "http://127.0.0.1:2"]) { $1 })
        #expect(flag.baseURL.description.contains(":1") && flag.baseURLSource == .flag)
        let variable = try resolve(ConnectionRequest(profile: "lab"), fixture, key.merging(["ECGRID_BASE_URL": "http://127.0.0.1:2"]) { $1 })
        #expect(variable.baseURL.description.contains(":2") && variable.baseURLSource == .environment)
        let profile = try resolve(ConnectionRequest(profile: "lab"), fixture, key)
        #expect(profile.baseURL.description.contains(":8026") && profile.baseURLSource == .profile)
        // --base-url turns the default profile off; no profile, no variable: production.
        let none = try ConnectionSettings.resolve(ConnectionRequest(), profile: nil, environment: ["ECGRID_API_KEY": "k"])
        #expect(none.baseURL.isProduction && none.baseURLSource == .production)
    }

    @Test("the default profile applies only without --sandbox and --base-url")
    func defaultProfile() throws {
        let fixture = try ConfigFixture(twoProfiles)
        defer { fixture.remove() }
        #expect(try ProfileChoice.resolve(ConnectionRequest(), environment: fixture.environment())?.name == "lab")
        #expect(try ProfileChoice.resolve(ConnectionRequest(sandbox: true), environment: fixture.environment()) == nil)
        #expect(try ProfileChoice.resolve(ConnectionRequest(baseURL: "http://127.0.0.1:1"), environment: fixture.environment()) == nil)
        #expect(try ProfileChoice.resolve(ConnectionRequest(profile: "ro"), environment: fixture.environment())?.name == "ro")
    }

    @Test("an unknown profile, or a profile without a config file, is refused and names what exists")
    func unknownProfile() throws {
        let fixture = try ConfigFixture(twoProfiles)
        defer { fixture.remove() }
        let error = #expect(throws: ConfigError.self) {
            _ = try ProfileChoice.resolve(ConnectionRequest(profile: "prod"), environment: fixture.environment())
        }
        #expect(error?.message.contains("profiles: lab, ro") == true)
        let empty = try ConfigFixture(nil)
        defer { empty.remove() }
        let missing = #expect(throws: ConfigError.self) {
            _ = try ProfileChoice.resolve(ConnectionRequest(profile: "lab"), environment: empty.environment())
        }
        #expect(missing?.message.contains("no config file") == true)
    }

    @Test("the credential: the profile's key beats ECGRID_API_KEY; a saved session comes last")
    func credentialPrecedence() throws {
        let fixture = try ConfigFixture(twoProfiles)
        defer { fixture.remove() }
        let both = try resolve(ConnectionRequest(profile: "lab"), fixture, ["ECGRID_API_KEY": "env", "LAB_KEY": "lab"])
        guard case .apiKey(let key)? = both.credential else { Issue.record("no API key"); return }
        #expect(key.revealed == "lab")
        let envOnly = try resolve(ConnectionRequest(profile: "ro"), fixture, ["ECGRID_API_KEY": " env \n"])
        guard case .apiKey(let plain)? = envOnly.credential else { Issue.record("no API key"); return }
        #expect(plain.revealed == "env")
        let tokenFile = try fixture.writeKeyFile("token", "eyJ.session")
        let session = try resolve(ConnectionRequest(profile: "ro"), fixture, ["ECGRID_TOKEN_FILE": tokenFile])
        guard case .bearer(let token)? = session.credential else { Issue.record("no bearer token"); return }
        #expect(token.revealed == "eyJ.session")
    }

    @Test("refusals before anything is sent: a profile's unset key variable, no credential, a loose key file, plain http to a remote host")
    func refusals() throws {
        let fixture = try ConfigFixture(twoProfiles)
        defer { fixture.remove() }
        let unset = #expect(throws: ECGridError.self) { _ = try resolve(ConnectionRequest(profile: "lab"), fixture, ["ECGRID_API_KEY": "k"]) }
        #expect(unset?.kind == .missingCredentials && unset?.detail.contains("LAB_KEY") == true)
        let none = #expect(throws: ECGridError.self) { _ = try resolve(ConnectionRequest(profile: "ro"), fixture, [:]) }
        #expect(none?.kind == .missingCredentials)
        // Without a required credential, a run goes on with none (`version`, `login`).
        #expect(try resolve(ConnectionRequest(profile: "ro"), fixture, [:], requireCredential: false).credential == nil)
        let loose = try fixture.writeKeyFile("loose", "eyJ.session", mode: 0o644)
        #expect(throws: ConfigError.self) { _ = try resolve(ConnectionRequest(profile: "ro"), fixture, ["ECGRID_TOKEN_FILE": loose]) }
        let remote = #expect(throws: ECGridError.self) {
            _ = try resolve(ConnectionRequest(baseURL: "http://ecgrid.example.com", profile: "ro"), fixture, ["ECGRID_API_KEY": "k"])
        }
        #expect(remote?.kind == .insecureURL)
        let noCA = #expect(throws: ECGridError.self) {
            _ = try resolve(ConnectionRequest(profile: "ro"), fixture, ["ECGRID_API_KEY": "k", "ECGRID_CA_FILE": fixture.directory + "/none.pem"])
        }
        #expect(noCA != nil)
    }

    @Test("read-only: --read-only or a read-only profile refuses, saying how to act")
    func readOnly() throws {
        let fixture = try ConfigFixture(twoProfiles)
        defer { fixture.remove() }
        let ro = try ProfileChoice.resolve(ConnectionRequest(profile: "ro"), environment: fixture.environment())
        #expect(ConnectionRequest(profile: "ro").readOnlyRefusal(profile: ro)?.contains("Profile ro is read-only") == true)
        #expect(ConnectionRequest(readOnly: true).readOnlyRefusal(profile: nil) == "Run without --read-only to act.")
        #expect(ConnectionRequest().readOnlyRefusal(profile: nil) == nil)
    }
}
