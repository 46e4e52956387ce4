import ECGridKit
import ECGridSandbox
import Foundation

/// Runs the built `ecgrid-console` binary as an operator or a script would.
package struct CLIRun: Sendable {
    package var status: Int32
    package var stdout: String
    package var stderr: String
    package var stdoutBytes: [UInt8]
}

package enum CLI {
    /// The binary next to the test bundle.
    package static var binary: URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if directory.lastPathComponent == "MacOS" || directory.pathExtension == "xctest" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("ecgrid-console")
    }

    /// Runs the binary in a session of its own (no controlling terminal, as under cron or CI),
    /// with a clean environment plus `environment`, feeding `input` on standard input.
    package static func run(_ arguments: [String], environment: [String: String] = [:], input: String = "") async throws -> CLIRun {
        try await runCommand(["/usr/bin/setsid", "-w", binary.path] + arguments, environment: environment, input: input)
    }

    /// Starts the binary (or `executable`) without waiting for it, through the one launcher
    /// (`Spawn`): input from a file, output discarded, a clean environment plus `environment`.
    package static func start(_ arguments: [String], environment: [String: String], input: String, executable: String? = nil) throws -> SpawnedProcess {
        var env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": NSTemporaryDirectory(), "ECGRID_CA_FILE": TestCA.path]
        env.merge(environment) { $1 }
        return try Spawn.start([executable ?? binary.path] + arguments, environment: env, input: input)
    }

    /// Waits for a started process without blocking the cooperative pool.
    package static func wait(_ process: SpawnedProcess) async {
        await process.wait()
    }

    /// Runs the binary under `script`, so it has a pseudo-terminal and `/dev/tty` answers with `input`.
    package static func runInTerminal(_ arguments: [String], environment: [String: String] = [:], input: String) async throws -> CLIRun {
        let command = ([binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try await runCommand(["/usr/bin/script", "-qfec", command, "/dev/null"], environment: environment, input: input)
    }

    /// Runs `argv` (the binary under setsid or script) with a clean environment plus
    /// `environment`, through the one launcher (`Spawn`), which waits on a thread of its own.
    package static func runCommand(_ argv: [String], environment: [String: String], input: String) async throws -> CLIRun {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ecgrid-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        var env = [
            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": home.path, "TERM": "xterm-256color",
            "ECGRID_CA_FILE": TestCA.path,
        ]
        env.merge(environment) { $1 }
        return try await Spawn.run(argv, environment: env, input: input)
    }
}

/// The CA of every sandbox this test process starts (`SandboxTLSIdentity.shared`), written once
/// to a file: the binary trusts it through `ECGRID_CA_FILE`, as an operator would.
package enum TestCA {
    package static let path: String = {
        let path = NSTemporaryDirectory() + "ecgrid-test-ca-\(getpid()).pem"
        if case .success(let identity) = SandboxTLSIdentity.shared {
            try? Data(identity.caPEM.utf8).write(to: URL(fileURLWithPath: path))
        }
        return path
    }()
}
