import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import IncidentLog
import Testing

@Suite("Profiles through the command line and the console")
struct ProfileCommandTests {
    /// A config directory of its own, with `config` as config.toml; returns the environment.
    func withConfig(_ base: [String: String], _ config: String) throws -> (environment: [String: String], directory: String) {
        let directory = NSTemporaryDirectory() + "ecgrid-profiles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/ecgrid-console", withIntermediateDirectories: true)
        try config.replacingOccurrences(of: "DIR", with: directory)
            .write(toFile: directory + "/ecgrid-console/config.toml", atomically: true, encoding: .utf8)
        var environment = base
        environment["XDG_CONFIG_HOME"] = directory
        environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history.jsonl"
        return (environment, directory)
    }

    func writeKey(_ key: String, to path: String, mode: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: mode])
    }

    @Test("--profile takes base URL and key file; a key file others can read is refused; history records the profile")
    func keyFileProfile() async throws {
        try await withCLISandbox { server, base in
            var clean = base
            clean["ECGRID_API_KEY"] = nil
            clean["ECGRID_BASE_URL"] = nil
            let (environment, directory) = try withConfig(clean, """
                [profiles.lab]
                label = "Lab"
                base_url = "\(server.baseURL)"
                api_key_file = "DIR/lab.key"
                """)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let key = await server.operatorKey()
            try writeKey(key, to: directory + "/lab.key", mode: 0o644)
            let refused = try await CLI.run(["whoami", "--profile", "lab"], environment: environment)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("lab.key: the key file has mode 644"))
            #expect(refused.stderr.contains("chmod 600"))
            #expect(!refused.stderr.contains(key))

            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory + "/lab.key")
            let whoami = try await CLI.run(["whoami", "--profile", "lab"], environment: environment)
            #expect(whoami.status == 0)
            #expect(whoami.stdout.contains(SandboxAccounts.operatorLogin))

            let reset = try await CLI.run(["reset", "40011", "--yes", "--profile", "lab"], environment: environment)
            #expect(reset.status == 0)
            let records = try HistoryStore(path: directory + "/history.jsonl").records()
            #expect(records.count == 2 && records.allSatisfy { $0.profile == "lab" })

            let unknown = try await CLI.run(["whoami", "--profile", "nope"], environment: environment)
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("no profile \"nope\"; profiles: lab"))
        }
    }

    @Test("a read-only profile refuses state changes; an environment-variable profile reads that variable")
    func readOnlyProfile() async throws {
        try await withCLISandbox { server, base in
            var clean = base
            let key = base["ECGRID_API_KEY"]
            clean["ECGRID_API_KEY"] = nil
            clean["LAB_KEY"] = key
            let (environment, directory) = try withConfig(clean, """
                default_profile = "watch"
                [profiles.watch]
                base_url = "\(server.baseURL)"
                api_key_env = "LAB_KEY"
                read_only = true
                """)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let show = try await CLI.run(["users", "show", "40011"], environment: environment)
            #expect(show.status == 0)
            let reset = try await CLI.run(["reset", "40011", "--yes"], environment: environment)
            #expect(reset.status == 2)
            #expect(reset.stderr.contains("Profile watch is read-only"))
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)

            var unset = environment
            unset["LAB_KEY"] = nil
            let missing = try await CLI.run(["whoami"], environment: unset)
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("profile watch reads the key from LAB_KEY, which is not set"))
        }
    }

    @Test("profiles lists every profile and whether its credential works, never the key; config errors name file, line, key")
    func listing() async throws {
        var environment = ["LAB_KEY": "sbx_not_shown_anywhere"]
        let (configured, directory) = try withConfig(environment, """
            [profiles.lab]
            api_key_env = "LAB_KEY"
            [profiles.prod]
            label = "ECGrid production"
            base_url = "https://rest.ecgrid.io"
            api_key_file = "DIR/prod.key"
            read_only = true
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try writeKey("sbx_prod_secret", to: directory + "/prod.key", mode: 0o640)
        environment = configured
        let list = try await CLI.run(["profiles"], environment: environment)
        #expect(list.status == 0)
        #expect(list.stdout.contains("environment variable LAB_KEY"))
        #expect(list.stdout.contains("REFUSED"))
        #expect(list.stdout.contains("prod.key: refused: the key file has mode 640"))
        #expect(list.stdout.contains("PRODUCTION, read-only"))
        #expect(!list.stdout.contains("sbx_not_shown_anywhere") && !list.stdout.contains("sbx_prod_secret"))
        let json = try await CLI.run(["profiles", "--json"], environment: environment)
        #expect(json.stdout.contains("\"name\" : \"prod\""))

        try "[profiles.lab]\npage_size = \"big\"\n".write(
            toFile: directory + "/ecgrid-console/config.toml", atomically: true, encoding: .utf8)
        let broken = try await CLI.run(["profiles"], environment: environment)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("config.toml:2: profiles.lab.page_size: must be a whole number from 1 to 1000"))
    }

    @Test("the console on a production, read-only profile says so in words and refuses r")
    func consoleBanner() async throws {
        try await withCLISandbox(users: 40) { server, base in
            var clean = base
            clean["ECGRID_BASE_URL"] = nil
            let (environment, directory) = try withConfig(clean, """
                [profiles.prod]
                label = "Prod EU"
                base_url = "\(server.baseURL)"
                production = true
                read_only = true
                page_size = 3
                [profiles.prod.filters]
                network = 10
                """)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var console = environment
            console["LANG"] = "C.UTF-8"
            console["TERM"] = "xterm-256color"
            console["HOME"] = directory
            try await withTmux { tmux in
                try await tmux.start([CLI.binary.path, "--profile", "prod"], environment: console)
                let screen = try await tmux.waitFor("all loaded")
                #expect(screen.contains("PRODUCTION: Prod EU (profile prod)"))
                #expect(screen.contains("READ-ONLY"))
                #expect(screen.contains("r reset (off: read-only)"))
                // Only network 10 was loaded, three records a page.
                var inNetwork = 0
                for id in [1001, 1002, 1003] + Array(40001..<40038) where await server.store.user(id)?.networkId == 10 { inNetwork += 1 }
                #expect(inNetwork > 3)
                #expect(screen.contains("\(inNetwork) users loaded"))
                let lists = await server.store.requests.filter { $0.path == "/v2/users/list" }
                #expect(lists.count >= (inNetwork + 2) / 3)
                try await tmux.send("r")
                try await tmux.waitFor("read-only session: resets are disabled")
                #expect(await server.store.count(method: "GET", pathPrefix: "/v2/users/4") == 0)
                try await tmux.send("q")
                try await tmux.waitFor("EXITED=0")
            }
        }
    }
}
