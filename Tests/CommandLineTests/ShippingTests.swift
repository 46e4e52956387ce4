import ConsoleTestSupport
import ConsoleUI
import ECGridKit
import Foundation
import Testing

/// The package's root directory (this file is Tests/CommandLineTests/ShippingTests.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs a program outside the binary under test (git, sh, groff) found on the short PATH of
/// the tests' clean environment (`CLI.runCommand`, through the one launcher).
func runTool(_ argv: [String], environment: [String: String] = [:]) async throws -> (status: Int32, stdout: String, stderr: String) {
    let run = try await CLI.runCommand(["/usr/bin/env"] + argv, environment: environment, input: "")
    return (run.status, run.stdout, run.stderr)
}

@Suite("Shipping: version, man page, completions")
struct ShippingTests {
    @Test("--version prints the version, the commit the binary was built from and the build date")
    func version() async throws {
        let run = try await CLI.run(["--version"])
        #expect(run.status == 0)
        let line = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let match = try #require(line.wholeMatch(of: /ecgrid-console (\d+\.\d+\.\d+) \(commit ([0-9a-z-]+), built (\d{4}-\d{2}-\d{2})\)/),
                                 "unexpected --version: \(line)")
        #expect(match.output.1 == "0.1.0")
        // Built from this clone: the stamp is a commit of its history ("-dirty" while editing);
        // HEAD's, unless something was committed since the build.
        let head = try await runTool(["git", "-C", packageRoot.path, "rev-parse", "--verify", "--quiet", "HEAD"])
        if head.status == 0 {
            let stamped = String(match.output.2).replacingOccurrences(of: "-dirty", with: "")
            #expect(stamped.count == 12 && stamped.allSatisfy(\.isHexDigit), "not a commit: \(stamped)")
            let ancestor = try await runTool(["git", "-C", packageRoot.path, "merge-base", "--is-ancestor", stamped, "HEAD"])
            #expect(ancestor.status == 0, "\(stamped) is not in this clone's history")
        }
        // The day it was built: today, or at most a day or two back for an older build.
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let built = try #require(formatter.date(from: String(match.output.3)))
        #expect(built <= Date() && Date().timeIntervalSince(built) < 3 * 86_400)
    }

    @Test("The stamp script falls back to 'unknown' outside a clone (a tarball) and honours SOURCE_DATE_EPOCH")
    func stampWithoutGit() async throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ecgrid-tarball-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out/BuildInfo.swift")
        let script = packageRoot.appendingPathComponent("scripts/build-info").path
        let run = try await runTool(["sh", script, directory.path, output.path], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(run.status == 0)
        let text = try String(contentsOf: output, encoding: .utf8)
        #expect(text.contains("static let commit = \"unknown\""))
        #expect(text.contains("static let date = \"2023-11-14\""))
        // Unchanged text leaves the file alone (no recompile on every build).
        let old = Date(timeIntervalSince1970: 946_684_800)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: output.path)
        _ = try await runTool(["sh", script, directory.path, output.path], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        let after = try FileManager.default.attributesOfItem(atPath: output.path)[.modificationDate] as? Date
        #expect(after == old)
    }
}

@Suite("Shipping: man page and completions")
struct ManualAndCompletionTests {
    static let manPage = packageRoot.appendingPathComponent("man/ecgrid-console.1")

    @Test("The man page has KEYS (every key of the binding table), ENVIRONMENT, FILES and EXIT STATUS, as the binary prints them now")
    func manPageSections() async throws {
        let page = try String(contentsOf: Self.manPage, encoding: .utf8)
        for section in [".Sh KEYS", ".Sh ENVIRONMENT", ".Sh FILES", ".Sh EXIT STATUS"] {
            #expect(page.contains("\n" + section + "\n"), "no \(section)")
        }
        // Generated from the commands: every subcommand is described.
        for command in ["users", "list", "show", "find", "whoami", "reset", "rotate-key", "terminate",
                        "login", "profiles", "history", "verify", "sandbox"] {
            #expect(page.contains("\n.It Em \(command)\n"), "no \(command)")
        }
        #expect(!page.contains("print-manual-sections"))
        // Every key and its help, from the table the console dispatches on.
        for binding in KeyBindings.table {
            #expect(page.contains(".It Sy \"\(binding.keyLabel)\"\n\(binding.help)\n"), "no key \(binding.keyLabel)")
        }
        for name in ["ECGRID_API_KEY", "ECGRID_BASE_URL", "ECGRID_CA_FILE", "ECGRID_CONSOLE_HISTORY", "ECGRID_CONSOLE_CONFIG",
                     "ECGRID_CONSOLE_LOG", "ECGRID_CONSOLE_LOG_LEVEL", "ECGRID_CONSOLE_SYSLOG", "ECGRID_TOKEN_FILE", "NO_COLOR"] {
            #expect(page.contains(".It Ev \(name)\n"), "no \(name)")
        }
        for status in ["0", "1", "2", "64"] {
            #expect(page.contains(".It Sy \(status)\n"), "no exit status \(status)")
        }
        #expect(page.contains("config.toml") && page.contains("history.jsonl.tip") && page.contains("save-token"))
        // Not stale: the sections are exactly what this binary prints (else run scripts/man).
        let sections = try await CLI.run(["--print-manual-sections"])
        #expect(sections.status == 0)
        #expect(page.contains(sections.stdout), "man/ecgrid-console.1 is stale: run scripts/man")
    }

    @Test("The man page renders without a warning, with every section and key")
    func manPageRenders() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/groff") else {
            Issue.record("groff is not installed (apt-get install groff-base)")
            return
        }
        let rendered = try await runTool(["groff", "-k", "-mandoc", "-Tutf8", "-ww", Self.manPage.path])
        #expect(rendered.status == 0)
        #expect(rendered.stderr.isEmpty, "groff: \(rendered.stderr)")
        // grotty overstrikes bold (X, backspace, X) and underline (_, backspace, X): keep the last.
        var kept: [Character] = []
        for character in rendered.stdout {
            if character == "\u{8}" { _ = kept.popLast() } else { kept.append(character) }
        }
        let text = String(kept)
        for heading in ["NAME", "SYNOPSIS", "DESCRIPTION", "KEYS", "ENVIRONMENT", "FILES", "EXIT STATUS"] {
            #expect(text.contains("\n" + heading + "\n"), "rendered page has no \(heading)")
        }
        for binding in KeyBindings.table {
            #expect(text.contains(binding.keyLabel), "rendered page has no key \(binding.keyLabel)")
        }
        // The values of history's --action and --outcome, each with what it means.
        for value in UserAction.allCases.map(\.rawValue) + ActionStatus.allCases.map(\.rawValue) {
            #expect(text.contains(value), "rendered page has no value \(value)")
        }
        #expect(text.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("no usable answer: the server may have acted"))
    }

    @Test("--help lists the environment variables")
    func helpListsEnvironment() async throws {
        let help = try await CLI.run(["--help"])
        #expect(help.status == 0)
        for name in ["ECGRID_API_KEY", "ECGRID_BASE_URL", "ECGRID_CA_FILE", "ECGRID_CONSOLE_HISTORY", "ECGRID_CONSOLE_CONFIG",
                     "ECGRID_CONSOLE_LOG", "ECGRID_CONSOLE_LOG_LEVEL", "ECGRID_CONSOLE_SYSLOG", "ECGRID_TOKEN_FILE", "NO_COLOR"] {
            #expect(help.stdout.contains(name), "--help has no \(name)")
        }
    }

    @Test("bash, zsh and fish scripts generate and offer AuthLevels, statuses, outcomes, actions and profiles")
    func scriptsGenerate() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try await CLI.run(["--generate-completion-script", shell])
            #expect(script.status == 0)
            for word in ["NetworkAdmin", "Preproduction", "not-sent", "generate-api-key", "---completion"] {
                #expect(script.stdout.contains(word), "\(shell) script has no \(word)")
            }
        }
    }

    /// Completes `words` (the last one being typed) with the generated bash script, as bash's
    /// programmable completion would, and returns what it offers.
    func bashComplete(_ words: [String], environment: [String: String]) async throws -> [String] {
        let script = try await CLI.run(["--generate-completion-script", "bash"])
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ecgrid-bash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scriptPath = directory.appendingPathComponent("ecgrid-console.bash")
        try script.stdout.write(to: scriptPath, atomically: true, encoding: .utf8)
        let line = ([CLI.binary.path] + words).joined(separator: " ")
        let quotedWords = ([CLI.binary.path] + words).map { "'\($0)'" }.joined(separator: " ")
        let driver = """
            source '\(scriptPath.path)'
            COMP_WORDS=(\(quotedWords)); COMP_CWORD=\(words.count); COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
            _ecgrid-console "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let run = try await runTool(["bash", "-c", driver], environment: environment)
        #expect(run.status == 0, "bash: \(run.stderr)")
        return run.stdout.split(separator: "\n").map(String.init)
    }

    @Test("The bash script completes profile names from the config file, and AuthLevels")
    func bashCompletesProfiles() async throws {
        let directory = NSTemporaryDirectory() + "ecgrid-complete-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
            [profiles.prod]
            base_url = "https://rest.ecgrid.io"
            [profiles.lab]
            base_url = "https://127.0.0.1:8026"
            [profiles.lab-eu]
            base_url = "https://127.0.0.1:8027"
            """.write(toFile: directory + "/config.toml", atomically: true, encoding: .utf8)
        let environment = ["ECGRID_CONSOLE_CONFIG": directory + "/config.toml"]
        #expect(try await bashComplete(["users", "list", "--profile", ""], environment: environment).sorted() == ["lab", "lab-eu", "prod"])
        #expect(try await bashComplete(["reset", "--profile", "la"], environment: environment).sorted() == ["lab", "lab-eu"])
        #expect(try await bashComplete(["--profile", "p"], environment: environment) == ["prod"])
        #expect(try await bashComplete(["users", "list", "--auth-level", "Network"], environment: environment).sorted()
            == ["NetworkAdmin", "NetworkUser"])
        // No config, or a broken one: nothing offered, no error in the middle of a command line.
        #expect(try await bashComplete(["whoami", "--profile", ""], environment: ["ECGRID_CONSOLE_CONFIG": directory + "/none.toml"]).isEmpty)
        try "profiles = 3".write(toFile: directory + "/broken.toml", atomically: true, encoding: .utf8)
        #expect(try await bashComplete(["whoami", "--profile", ""], environment: ["ECGRID_CONSOLE_CONFIG": directory + "/broken.toml"]).isEmpty)
    }
}

/// The newest `.deb` that `scripts/package` left in dist/, if any.
private let packagedDeb: URL? = {
    let dist = packageRoot.appendingPathComponent("dist")
    let debs = ((try? FileManager.default.contentsOfDirectory(at: dist, includingPropertiesForKeys: [.contentModificationDateKey])) ?? [])
        .filter { $0.pathExtension == "deb" }
    return debs.max { a, b in
        let dateA = (try? a.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast
        let dateB = (try? b.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast
        return dateA < dateB
    }
}()

/// `scripts/package` is not part of the tests (a release build takes far too long for them);
/// when it has run in this clone, its `.deb` is checked here as well as by the script.
@Suite("Shipping: the .deb from scripts/package", .enabled(if: packagedDeb != nil, "no dist/*.deb: run scripts/package"))
struct PackageTests {
    @Test("The packaged binary needs no Swift runtime library; Depends names only Debian packages of ldd's libraries")
    func noSwiftRuntime() async throws {
        let deb = try #require(packagedDeb)
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ecgrid-deb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let extract = try await runTool(["dpkg-deb", "-x", deb.path, directory.path])
        #expect(extract.status == 0, "\(extract.stderr)")
        let ldd = try await runTool(["ldd", directory.appendingPathComponent("usr/bin/ecgrid-console").path])
        #expect(ldd.status == 0)
        for library in ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime", "not found"] {
            #expect(!ldd.stdout.contains(library), "ldd lists \(library):\n\(ldd.stdout)")
        }
        #expect(ldd.stdout.contains("libncursesw.so.6"))
        let depends = try await runTool(["dpkg-deb", "--field", deb.path, "Depends"]).stdout
        #expect(depends.contains("libncursesw6") && depends.contains("libc6"))
        // Not a library, but without the system trust store every TLS handshake fails.
        #expect(depends.contains("ca-certificates"))
        #expect(!depends.lowercased().contains("swift"))
    }

    @Test("The .deb holds the binary, the man page, bash/zsh/fish completions, README and copyright")
    func contents() async throws {
        let deb = try #require(packagedDeb)
        let listing = try await runTool(["dpkg-deb", "--contents", deb.path]).stdout
        for path in ["./usr/bin/ecgrid-console", "./usr/share/man/man1/ecgrid-console.1.gz",
                     "./usr/share/bash-completion/completions/ecgrid-console", "./usr/share/zsh/vendor-completions/_ecgrid-console",
                     "./usr/share/fish/vendor_completions.d/ecgrid-console.fish",
                     "./usr/share/doc/ecgrid-console/README.md", "./usr/share/doc/ecgrid-console/copyright"] {
            #expect(listing.contains(" " + path + "\n"), "the .deb has no \(path)")
        }
        #expect(listing.contains("root/root"))
    }
}
