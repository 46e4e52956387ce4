import ConsoleProfiles
import ECGridKit
import Foundation
import Testing

@Suite("Profiles: the config file and key files")
struct ConfigFileTests {
    let path = "/home/op/.config/ecgrid-console/config.toml"

    @Test("a full config: every field, defaults, ~ in a key file path, the default profile")
    func parsesProfiles() throws {
        let text = """
            # ECGrid console profiles
            default_profile = "sandbox"

            [profiles.prod]
            label = "ECGrid production (EU)"
            base_url = "https://rest.ecgrid.io"
            api_key_file = "~/.config/ecgrid-console/prod.key"
            read_only = true
            production = true
            page_size = 500

            [profiles.prod.filters]
            network = 10
            status = "active"
            auth_level = "NetworkUser"

            [profiles.sandbox]
            base_url = "http://127.0.0.1:8026"
            api_key_env = "ECGRID_SANDBOX_KEY"
            """
        let config = try ConfigFile.parse(text, path: path, home: "/home/op")
        #expect(config.defaultProfile == "sandbox")
        #expect(config.profiles.map(\.name) == ["prod", "sandbox"])
        let prod = try #require(config.profile("prod"))
        #expect(prod.label == "ECGrid production (EU)")
        #expect(prod.baseURL == "https://rest.ecgrid.io")
        #expect(prod.credential == .keyFile("/home/op/.config/ecgrid-console/prod.key"))
        #expect(prod.readOnly && prod.production == true && prod.pageSize == 500)
        #expect(prod.filters.networkId == 10 && prod.filters.status == .active && prod.filters.authLevel == .networkUser)
        let sandbox = try #require(config.profile("sandbox"))
        #expect(sandbox.label == "sandbox")
        #expect(sandbox.credential == .environment("ECGRID_SANDBOX_KEY"))
        #expect(!sandbox.readOnly && sandbox.production == nil && !sandbox.hasFilters)
    }

    @Test("every config error names the file, the line and the key", arguments: [
        ("[profiles.prod]\nread_only = \"yes\"\n", 2, "profiles.prod.read_only", "must be true or false"),
        ("[profiles.prod]\nlabel = \"P\"\nreadonly = true\n", 3, "profiles.prod.readonly", "unknown key"),
        ("[profiles.prod]\npage_size = 0\n", 2, "profiles.prod.page_size", "from 1 to 1000"),
        ("[profiles.prod]\nbase_url = \"http://ecgrid.example.com\"\n", 2, "profiles.prod.base_url", "http://"),
        ("[profiles.prod]\napi_key_env = \"sbx_123 456\"\n", 2, "profiles.prod.api_key_env", "name of an environment variable"),
        ("[profiles.prod]\napi_key_file = \"keys/prod.key\"\n", 2, "profiles.prod.api_key_file", "absolute path"),
        ("[profiles.prod]\napi_key_env = \"K\"\napi_key_file = \"/k\"\n", 3, "profiles.prod.api_key_file", "not both"),
        ("[profiles.prod.filters]\nauth_level = \"Boss\"\n", 2, "profiles.prod.filters.auth_level", "must be one of"),
        ("[profiles.prod.filters]\nstatus = \"Gone\"\n", 2, "profiles.prod.filters.status", "must be one of"),
        ("[profiles.prod.filters]\ncolour = \"red\"\n", 2, "profiles.prod.filters.colour", "unknown filter"),
        ("[profiles.prod]\nfilters.network = \"ten\"\n", 2, "profiles.prod.filters.network", "whole number"),
        ("default_profile = \"nope\"\n[profiles.prod]\n", 1, "default_profile", "names no profile"),
        ("theme = \"dark\"\n", 1, "theme", "unknown key"),
        ("[profiles]\nprod = 3\n", 2, "profiles.prod", "must be a table"),
    ] as [(String, Int, String, String)])
    func errors(text: String, line: Int, key: String, message: String) {
        do {
            _ = try ConfigFile.parse(text, path: path)
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.path == path)
            #expect(error.line == line, "\(error)")
            #expect(error.key == key, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.hasPrefix("\(path):\(line): \(key): "))
        }
    }

    @Test("a syntax error gives TOML's own line")
    func syntax() {
        do {
            _ = try ConfigFile.parse("[profiles.prod]\nlabel = \"P\"\nread_only = \n", path: path)
            Issue.record("parsed")
        } catch {
            #expect(error.line == 3, "\(error)")
            #expect(error.message.hasPrefix("not valid TOML"))
        }
    }

    @Test("the default path follows ECGRID_CONSOLE_CONFIG, then XDG_CONFIG_HOME, then HOME")
    func defaultPath() {
        #expect(ConfigFile.defaultPath(environment: ["ECGRID_CONSOLE_CONFIG": "/etc/e.toml", "XDG_CONFIG_HOME": "/x"]) == "/etc/e.toml")
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/ecgrid-console/config.toml")
        #expect(ConfigFile.defaultPath(environment: ["HOME": "/h"]) == "/h/.config/ecgrid-console/config.toml")
    }

    @Test("a missing file is no config; an unreadable or non-UTF-8 one is an error")
    func load() throws {
        let directory = NSTemporaryDirectory() + "ecgrid-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try ConfigFile.load(path: directory + "/none.toml") == nil)
        let bad = directory + "/bad.toml"
        _ = FileManager.default.createFile(atPath: bad, contents: Data([0x5B, 0xFF, 0xFE, 0x5D]))
        #expect(throws: ConfigError.self) { try ConfigFile.load(path: bad) }
    }

    @Test("a key file readable by others is refused with the fix; 0600 is read; empty is refused")
    func keyFiles() throws {
        let directory = NSTemporaryDirectory() + "ecgrid-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/prod.key"
        _ = FileManager.default.createFile(atPath: file, contents: Data("sbx_secretkey\n".utf8), attributes: [.posixPermissions: 0o644])
        do {
            _ = try KeyFile.read(file)
            Issue.record("a 0644 key file was read")
        } catch {
            #expect(error.message.contains("mode 644"))
            #expect(error.message.contains("chmod 600"))
            #expect(!error.description.contains("sbx_secretkey"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        #expect(try KeyFile.read(file).revealed == "sbx_secretkey")
        _ = FileManager.default.createFile(atPath: file, contents: Data(), attributes: [.posixPermissions: 0o600])
        #expect(throws: ConfigError.self) { try KeyFile.read(file) }
        #expect(throws: ConfigError.self) { try KeyFile.read(directory + "/missing.key") }
    }
}
