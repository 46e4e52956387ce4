import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import Testing

/// `history report` through the binary: after a real containment on the sandbox, no format
/// holds a password, a key string or the operator's key; `-o` never overwrites without
/// `--force`; `--sign` round-trips with `ssh-keygen -Y verify`; and the HTML renders in a real
/// headless browser to a PDF and a PNG.
@Suite("history report through the command line")
struct ReportCommandTests {
    struct Files {
        let directory = NSTemporaryDirectory() + "ecgrid-report-" + UUID().uuidString
        var history: String { directory + "/state/history.jsonl" }
        func path(_ name: String) -> String { directory + "/" + name }
        func make() throws { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// A containment of two users (one without a cell number: a failed notice) recorded in `files`.
    func contained(_ server: SandboxServer, _ base: [String: String], _ files: Files) async throws -> [String: String] {
        var environment = base
        environment["ECGRID_CONSOLE_HISTORY"] = files.history
        environment["SOURCE_DATE_EPOCH"] = "1764662400"
        let run = try await CLI.run(
            ["contain", "40011", "40012", "--yes", "--reason", "INC-7", "--steps", "password,sessions,keys,notify",
             "--notify", "Support reset your login.", "--password-file", files.path("pw.tsv")], environment: environment)
        #expect(run.status == 1, "one notice fails: \(run.stdout)")
        return environment
    }

    @Test("after a containment, md, json and html hold no password, no key string and not the operator's key")
    func noSecrets() async throws {
        try await withCLISandbox(users: 60) { server, base in
            let files = Files()
            try files.make()
            defer { files.remove() }
            var secrets = [await server.operatorKey()]
            for id in [40011, 40012] { secrets += await server.store.apiKeys(of: id) }
            let keysBefore = secrets
            let environment = try await contained(server, base, files)
            for id in [40011, 40012] { if let password = await server.store.password(of: id) { secrets.append(password) } }
            #expect(secrets.count == keysBefore.count + 2)
            for format in ["md", "json", "html"] {
                let run = try await CLI.run(["history", "report", "--reason", "INC-7", "--format", format], environment: environment)
                #expect(run.status == 0, "\(format): \(run.stderr)")
                #expect(run.stdout.contains("INC-7") && run.stdout.contains("40011"))
                for secret in secrets where !secret.isEmpty { #expect(!run.stdout.contains(secret), "\(format) holds a secret") }
            }
            let json = try await CLI.run(["history", "report", "--reason", "INC-7", "--format", "json"], environment: environment)
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let body = object?["body"] as? [String: Any]
            #expect((body?["openItems"] as? [[String: Any]])?.contains { $0["kind"] as? String == "unfinished-containment" } == true)
            // The same history gives the same bytes (SOURCE_DATE_EPOCH fixes the made-at line).
            let again = try await CLI.run(["history", "report", "--reason", "INC-7", "--format", "json"], environment: environment)
            #expect(again.stdout == json.stdout)
        }
    }

    @Test("-o refuses an existing file without --force; --sign writes FILE.sig that ssh-keygen -Y verify accepts, and refuses after one byte changes")
    func signed() async throws {
        try await withCLISandbox(users: 60) { server, base in
            let files = Files()
            try files.make()
            defer { files.remove() }
            let environment = try await contained(server, base, files)
            let key = files.path("signer")
            let made = try await Spawn.run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@example", "-f", key],
                                           environment: ["PATH": "/usr/bin:/bin"])
            #expect(made.status == 0, "\(made.stderr)")
            let report = files.path("r.md")
            try Data("keep me".utf8).write(to: URL(fileURLWithPath: report))
            let refused = try await CLI.run(["history", "report", "--reason", "INC-7", "-o", report], environment: environment)
            #expect(refused.status == 2 && refused.stderr.contains("--force"), "\(refused.stderr)")
            #expect(try String(contentsOfFile: report, encoding: .utf8) == "keep me")
            let run = try await CLI.run(["history", "report", "--reason", "INC-7", "-o", report, "--force", "--sign", key], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(FileManager.default.fileExists(atPath: report + ".sig"))
            let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            try Data("alice@example namespaces=\"ecgrid-console-report\" \(publicKey)\n".utf8)
                .write(to: URL(fileURLWithPath: files.path("allowed_signers")))
            func verify() async throws -> Int32 {
                try await Spawn.run(
                    ["/bin/sh", "-c", "ssh-keygen -Y verify -f '\(files.path("allowed_signers"))' -I alice@example "
                        + "-n ecgrid-console-report -s '\(report).sig' < '\(report)'"], environment: ["PATH": "/usr/bin:/bin"]).status
            }
            #expect(try await verify() == 0)
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: report)))
            bytes[bytes.count / 2] ^= 0x01
            try Data(bytes).write(to: URL(fileURLWithPath: report))
            #expect(try await verify() != 0)
        }
    }

    @Test("the HTML renders in headless chromium to a PDF and a PNG of its first page (fails, never skips, when the browser cannot start)")
    func browser() async throws {
        try await withCLISandbox(users: 60) { server, base in
            let files = Files()
            try files.make()
            defer { files.remove() }
            let environment = try await contained(server, base, files)
            let html = files.path("report.html")
            let run = try await CLI.run(["history", "report", "--reason", "INC-7", "--format", "html", "-o", html], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            let chromium = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + files.path("profile"),
                            "--no-pdf-header-footer"]
            let pdf = files.path("report.pdf")
            let printed = try await Spawn.run(chromium + ["--print-to-pdf=" + pdf, "file://" + html], environment: ["PATH": "/usr/bin:/bin", "HOME": files.directory])
            #expect(printed.status == 0, "chromium could not print the report: \(printed.stderr.suffix(500))")
            let pdfBytes = (try? Data(contentsOf: URL(fileURLWithPath: pdf))).map { Array($0) } ?? []
            #expect(pdfBytes.starts(with: Array("%PDF".utf8)), "no PDF came out")
            let png = files.path("page.png")
            let shot = try await Spawn.run(chromium + ["--screenshot=" + png, "--window-size=1240,1754", "file://" + html],
                                           environment: ["PATH": "/usr/bin:/bin", "HOME": files.directory])
            #expect(shot.status == 0, "chromium could not take the screenshot: \(shot.stderr.suffix(500))")
            let pngBytes = (try? Data(contentsOf: URL(fileURLWithPath: png))).map { Array($0) } ?? []
            #expect(pngBytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) && pngBytes.count > 10_000, "no picture of the page came out")
        }
    }
}
