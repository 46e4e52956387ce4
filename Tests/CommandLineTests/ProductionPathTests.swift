import ConsoleTestSupport
import Crypto
import ECGridActions
import ECGridKit
import ECGridTransport
import ECGridSandbox
import Foundation
import Hummingbird
import HummingbirdTLS
import IncidentLog
import NIOSSL
import Testing
import X509

#if canImport(Glibc)
import Glibc
#endif

/// The production path, end to end: HTTPS with verification, TLS versions, URLs that must not
/// reach the network stack, a state change that must not be sent twice, and no core file that
/// could hold the key.
@Suite("Production path: TLS, URLs, single sends, no core dumps")
struct ProductionPathTests {
    @Test("a server offering only TLS 1.0 or 1.1 is refused before any request, with the reason in words")
    func oldTLSRefused() async throws {
        for version in [TLSVersion.tlsv1, .tlsv11] {
            // A certificate from a CA the client is given, so only the version can be the reason.
            let identity = try SandboxTLSIdentity.make()
            var tls = try identity.serverConfiguration()
            tls.minimumTLSVersion = .tlsv1
            tls.maximumTLSVersion = version
            let server = try await CountingHTTPSServer.start(tls: tls)
            let transport = AsyncHTTPTransport(trust: try TrustedCA(pem: Array(identity.caPEM.utf8), source: "old TLS test CA"))
            let client = ECGridClient(
                baseURL: try BaseURL(server.url), transport: transport,
                credentials: StaticCredential(.apiKey(Secret("sbx_old_tls_key"))), timeout: .seconds(10))
            let error = await errorOf { _ = try await client.resetSessions(userId: 40011) }
            #expect(error?.kind == .tlsFailure, "\(version): \(String(describing: error))")
            #expect(error?.definitelyNotSent == true)
            #expect(error?.attempts == 1)
            #expect(error?.explanation.contains("TLS 1.2 or later") == true, "\(error?.explanation ?? "")")
            let caFile = NSTemporaryDirectory() + "ecgrid-oldtls-\(UUID().uuidString).pem"
            try Data(identity.caPEM.utf8).write(to: URL(fileURLWithPath: caFile))
            defer { try? FileManager.default.removeItem(atPath: caFile) }
            let run = try await CLI.run(
                ["whoami", "--base-url", server.url], environment: ["ECGRID_API_KEY": "sbx_old_tls_key", "ECGRID_CA_FILE": caFile])
            #expect(run.status == 1)
            #expect(run.stderr.contains("TLS 1.2 or later"), "\(run.stderr)")
            #expect(server.requests.count == 0, "\(server.requests.count) request(s) reached a TLS \(version) server")
            await transport.shutdown()
            await server.stop()
        }
    }

    @Test("key-generate answered 500 (any errorCode) is sent once; a real 429 is waited out and sent again")
    func keyGenerateSentOnce() async throws {
        try await withCLISandbox { server, base in
            guard let target = await actionableUser(server) else { Issue.record("no user"); return }
            let path = "/v2/users/key-generate/\(target.userId)"
            for code in ["RateLimitExceeded", "InternalError", ""] {
                let body = #"{"success": false, "data": null, "errorCode": "\#(code)", "message": "x"}"#
                await server.setFaults(FaultSettings(rules: [
                    FaultRule(kind: .canned, pathPrefix: path, method: "POST", status: 500, body: Array(body.utf8)),
                ]))
                let before = await server.store.count(method: "POST", pathPrefix: path)
                var environment = base
                environment["ECGRID_CONSOLE_HISTORY"] = NSTemporaryDirectory() + "ecgrid-once-\(UUID().uuidString)/h.jsonl"
                let run = try await CLI.run(["rotate-key", String(target.userId), "--yes"], environment: environment)
                #expect(run.status == 1, "\(code): \(run.stderr)")
                #expect(await server.store.count(method: "POST", pathPrefix: path) - before == 1, "500 \(code) was sent again")
                #expect(run.stdout.contains("OUTCOME UNKNOWN") || run.stderr.contains("OUTCOME UNKNOWN"), "\(run.stdout)")
            }
            await server.setFaults(FaultSettings(rules: [FaultRule(kind: .rateLimited, pathPrefix: path, method: "POST", count: 1, retryAfter: 1)]))
            let before = await server.store.count(method: "POST", pathPrefix: path)
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = NSTemporaryDirectory() + "ecgrid-once-\(UUID().uuidString)/h.jsonl"
            let run = try await CLI.run(["rotate-key", String(target.userId), "--yes"], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(await server.store.count(method: "POST", pathPrefix: path) - before == 2)
        }
    }

    @Test("over HTTPS, each TLS fault after sending leaves every action unknown, never not-sent: reset, rotate-key, terminate and the containment's password, key deletion and notice")
    func tlsFaultsAfterSending() async throws {
        try await withSandbox(timeout: .seconds(6)) { server, client in
            #expect(server.baseURL.hasPrefix("https://"))
            try await withTemporaryHistory { history in
                // The path production takes: the pipeline, recording before it sends.
                let pipeline = ActionPipeline.recording(into: history, client: client)
                var skip = 0
                for fault in [FaultKind.closeNoNotify, .brokenRecord, .resetAfterRequest, .stallAfterRequest] {
                    for action in UserAction.allCases {
                        // A notice needs a user with a cell number; every other action any user.
                        var found: User?
                        while found == nil, let user = await actionableUser(server, skip: skip) {
                            skip += 1
                            if action != .sendNotice || user.phone != nil { found = user }
                        }
                        guard let target = found else { Issue.record("no user"); break }
                        let request: ActionRequest
                        switch action {
                        case .setPassword: request = .setPassword(PasswordPolicy.generate())
                        case .deleteKey: request = .deleteKey(try #require(try await client.apiKeys(userId: target.userId).value.first))
                        case .sendNotice: request = .sendNotice("Support reset your login.")
                        case .resetSessions, .rotateKey, .terminate: request = ActionRequest(action)
                        }
                        let line = request.line(userId: target.userId).split(separator: " ").map(String.init)
                        let (method, path) = (line[0], line[1])
                        // A stalled answer is held 20 s: far past the client's 6 s, which a busy machine needs.
                        await server.setFaults(FaultSettings(rules: [FaultRule(kind: fault, pathPrefix: path, method: method, delayMs: 20_000)]))
                        let before = await server.store.count(method: method, pathPrefix: path)
                        let report = await pipeline.step(request, on: target, reason: nil) { _ in }
                        #expect(report.outcome.sent, "\(fault) \(action): recorded as not sent")
                        #expect(report.status == .unknown, "\(fault) \(action): \(report.status) \(String(describing: report.outcome.error))")
                        let recorded = try history.records().last { $0.actionId == report.actionId && $0.kind == .outcome }
                        #expect(recorded?.result?.status == .unknown, "\(fault) \(action): the history says \(String(describing: recorded?.result?.status))")
                        #expect(await server.store.count(method: method, pathPrefix: path) - before == 1, "\(fault) \(action): sent more than once")
                        await server.setFaults(FaultSettings())
                    }
                }
            }
        }
    }

    @Test("one more CA from ECGRID_CA_FILE or a profile's ca_file; without it the sandbox is refused; a bad CA file is exit 2")
    func extraCA() async throws {
        try await withCLISandbox(users: 20) { server, base in
            let home = NSTemporaryDirectory() + "ecgrid-ca-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: home + "/.config/ecgrid-console", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: home) }
            try Data("""
                [profiles.trusting]
                base_url = "\(server.baseURL)"
                ca_file = "\(TestCA.path)"
                api_key_env = "LAB_KEY"

                [profiles.plain]
                base_url = "\(server.baseURL)"
                api_key_env = "LAB_KEY"
                """.utf8).write(to: URL(fileURLWithPath: home + "/.config/ecgrid-console/config.toml"))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: home + "/.config/ecgrid-console/config.toml")
            let environment = ["HOME": home, "LAB_KEY": base["ECGRID_API_KEY"] ?? "", "ECGRID_CA_FILE": ""]
            let trusting = try await CLI.run(["whoami", "--profile", "trusting"], environment: environment)
            #expect(trusting.status == 0, "\(trusting.stderr)")
            let plain = try await CLI.run(["whoami", "--profile", "plain"], environment: environment)
            #expect(plain.status == 1 && plain.stderr.contains("not trusted"), "\(plain.stderr)")
            var byVariable = environment
            byVariable["ECGRID_CA_FILE"] = TestCA.path
            #expect(try await CLI.run(["whoami", "--profile", "plain"], environment: byVariable).status == 0)
            byVariable["ECGRID_CA_FILE"] = home + "/missing.pem"
            let missing = try await CLI.run(["reset", "40011", "--yes", "--profile", "plain"], environment: byVariable)
            #expect(missing.status == 2 && missing.stderr.contains("cannot be read"), "\(missing.stderr)")
            #expect(await server.store.count(method: "POST", pathPrefix: "/v2/users/reset") == 0)
        }
    }

    @Test("no URL from a flag, the environment or a profile makes the program trap: exit 2, nothing sent")
    func badURLs() async throws {
        let urls = ["http://127.0.0.1:99999", "https://127.0.0.1:65536", "https://127.0.0.1:0", "https://[::1%25lo]:8026",
                    "https://exa mple.com", "https://bad_host.example"]
        for url in urls {
            let byFlag = try await CLI.run(["users", "list", "--base-url", url], environment: ["ECGRID_API_KEY": "sbx_url_key"])
            #expect(byFlag.status == 2, "\(url): \(byFlag.status) \(byFlag.stderr)")
            #expect(byFlag.stderr.contains("The base URL cannot be used"), "\(url): \(byFlag.stderr)")
            let byEnvironment = try await CLI.run(["reset", "40011", "--yes"], environment: ["ECGRID_API_KEY": "sbx_url_key", "ECGRID_BASE_URL": url])
            #expect(byEnvironment.status == 2, "\(url): \(byEnvironment.stderr)")
        }
        // A profile: its base_url is checked when the config is read.
        let home = NSTemporaryDirectory() + "ecgrid-url-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home + "/.config/ecgrid-console", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try Data("[profiles.bad]\nbase_url = \"http://127.0.0.1:99999\"\n".utf8)
            .write(to: URL(fileURLWithPath: home + "/.config/ecgrid-console/config.toml"))
        let byProfile = try await CLI.run(["users", "list", "--profile", "bad"], environment: ["ECGRID_API_KEY": "sbx_url_key", "HOME": home])
        #expect(byProfile.status == 2, "\(byProfile.stderr)")
        #expect(byProfile.stderr.contains("99999"), "\(byProfile.stderr)")
        // The console refuses it before curses starts: the terminal is never switched.
        try await withTmux { tmux in
            try await tmux.start([CLI.binary.path, "--base-url", "http://127.0.0.1:99999"],
                                 environment: ["LANG": "C.UTF-8", "HOME": NSTemporaryDirectory(), "ECGRID_API_KEY": "sbx_url_key"])
            let screen = try await tmux.waitFor("EXITED=")
            #expect(screen.contains("EXITED=2"))
            #expect(screen.contains("port 99999 is not between 1 and 65535"))
            #expect(try await tmux.alternateScreen() == "0")
            let modes = try await tmux.terminalModes()
            #expect(modes.echo && modes.canonical)
        }
    }

    @Test("odd numbers in flags and arguments are refused with a message, never a trap", arguments: [
        "users list --timeout nan", "users list --timeout inf", "users list --timeout 1e308", "users list --limit 99999999999999999999",
        "reset 99999999999999999999 --yes", "reset 0 --yes", "reset 40011 --concurrency 100000000 --yes",
        "users list --network 99999999999999999999", "users list --page-size 0", "sandbox --users 0", "sandbox --port 70000",
        "sandbox --port -1", "users show 0", "users show 9223372036854775808", "history --since 9999999999999999999x",
    ])
    func oddFlags(arguments: String) async throws {
        let run = try await CLI.run(arguments.split(separator: " ").map(String.init),
                                    environment: ["ECGRID_API_KEY": "sbx_flag_key", "ECGRID_BASE_URL": "https://127.0.0.1:1"])
        #expect(run.status == 2 || run.status == 64 || run.status == 1, "\(arguments): exit \(run.status)")
        #expect(run.status < 128 && !run.stderr.contains("Fatal error"), "\(arguments): \(run.stderr.prefix(300))")
        #expect(!run.stderr.isEmpty, "\(arguments): no message")
    }

    @Test("with core dumps allowed, SIGQUIT during a request leaves no core file (a process without the guard does)")
    func noCoreDump() async throws {
        try await withCLISandbox { server, base in
            await server.setFaults(FaultSettings(rules: [FaultRule(kind: .stallAfterRequest, pathPrefix: "/v2/users/list", delayMs: 30_000)]))
            let directory = NSTemporaryDirectory() + "ecgrid-core-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            // The control: the same shell set-up dumps core for a process that does not forbid it.
            let control = try await CLI.runCommand(
                ["/bin/sh", "-c", "cd '\(directory)/' && ulimit -c unlimited && sh -c 'kill -QUIT $$; sleep 5'"],
                environment: [:], input: "")
            let controlDumped = try FileManager.default.contentsOfDirectory(atPath: directory).contains { $0.hasPrefix("core") }
            for file in try FileManager.default.contentsOfDirectory(atPath: directory) {
                try FileManager.default.removeItem(atPath: directory + "/" + file)
            }
            var environment = base
            environment["ECGRID_CONSOLE_HISTORY"] = directory + "/history/h.jsonl"
            let quoted = "'\(CLI.binary.path)' users list --timeout 60"
            let process = try CLI.start(["-c", "cd '\(directory)' && ulimit -c unlimited && exec \(quoted)"],
                                        environment: environment, input: "", executable: "/bin/sh")
            _ = await sends(server, ("POST", "/v2/users/list"), atLeast: 1)
            let limits = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/limits", encoding: .utf8)) ?? ""
            let coreLine = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") }.map(String.init) ?? ""
            #expect(coreLine.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).first == "0", "\(coreLine)")
            kill(process.processIdentifier, SIGQUIT)
            await CLI.wait(process)
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGQUIT)
            let left = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("core") }
            #expect(left.isEmpty, "core file(s) left: \(left)")
            if !controlDumped {
                // This machine's core_pattern sends cores elsewhere: the limit above is the proof.
                print("note: the control wrote no core in the working directory (\(control.status)); the RLIMIT_CORE check stands")
            }
        }
    }

    @Test("a crash report (Swift's backtracer on SIGSEGV) holds no environment and no key; SIGQUIT prints none")
    func crashReportHoldsNoSecret() async throws {
        let directory = NSTemporaryDirectory() + "ecgrid-crash-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = "sbx_crash_report_key_0123456789"
        for signalNumber in [SIGSEGV, SIGQUIT] {
            let errors = directory + "/stderr-\(signalNumber)"
            let output = directory + "/stdout-\(signalNumber)"
            let process = try CLI.start(
                ["-c", "exec '\(CLI.binary.path)' sandbox --port 0 --users 10 --activity-seconds 0 --ca-out '\(directory)/ca-\(signalNumber).pem' >'\(output)' 2>'\(errors)'"],
                environment: ["ECGRID_API_KEY": key, "ECGRID_MARKER_VARIABLE": "environment_marker_value"], input: "",
                executable: "/bin/sh")
            // Up and serving once it has printed its banner: the runtime is fully started.
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline, process.isRunning,
                (try? String(contentsOfFile: output, encoding: .utf8))?.contains("Press Ctrl-C") != true
            {
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(process.processIdentifier, signalNumber)
            if signalNumber == SIGSEGV {
                // A SIGSEGV sent from outside (no real fault) is reported, then the handler returns
                // and the program goes on: wait for the report's last line, then end it.
                let reported = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < reported, process.isRunning,
                    (try? String(contentsOfFile: errors, encoding: .utf8))?.contains("Backtrace took") != true
                {
                    try await Task.sleep(for: .milliseconds(50))
                }
                kill(process.processIdentifier, SIGKILL)
            }
            await CLI.wait(process)
            let report = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            if signalNumber == SIGSEGV { #expect(report.contains("Program crashed"), "no crash report: \(report.prefix(200))") }
            #expect(!report.contains(key), "the key is in the crash report")
            #expect(!report.contains("environment_marker_value"), "the environment is in the crash report")
            if signalNumber == SIGQUIT {
                #expect(!report.contains("Backtracing"), "SIGQUIT was caught by the backtracer: \(report.prefix(200))")
                #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGQUIT)
            }
        }
    }

    func errorOf(_ body: () async throws -> Void) async -> ECGridError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? ECGridError
        }
    }
}
