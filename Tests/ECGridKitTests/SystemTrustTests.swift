@testable import ECGridKit
@testable import ECGridTransport
import ConsoleTestSupport
import ECGridSandbox
import Foundation
import NIOSSL
import Testing

/// The system's roots are read from the hashed directory (`/etc/ssl/certs/<hash>.0`), lazily,
/// instead of parsing the whole bundle before the first handshake. The trust must stay the same.
@Suite("System trust read from the hashed directory")
struct SystemTrustTests {
    @Test("hashed link names are recognised, other names are not")
    func names() {
        #expect(SystemTrust.isHashedName("002c0b4f.0"))
        #expect(SystemTrust.isHashedName("ABCDEF01.12"))
        for name in ["ca-certificates.crt", "GlobalSign_Root_R46.pem", "002c0b4f", "002c0b4.0", "002c0b4g.0", "002c0b4f.", "002c0b4f.0.pem", ".0"] {
            #expect(!SystemTrust.isHashedName(name), "\(name)")
        }
    }

    @Test("a directory without hashed links, or no directory, falls back to the default bundle")
    func fallback() throws {
        let plain = try Self.directory()
        try Data("x".utf8).write(to: URL(fileURLWithPath: plain + "/root.pem"))
        #expect(SystemTrust.hashedDirectory(plain) == nil)
        #expect(SystemTrust.hashedDirectory(plain + "/missing") == nil)
        try FileManager.default.createSymbolicLink(atPath: plain + "/0123abcd.0", withDestinationPath: "root.pem")
        #expect(SystemTrust.hashedDirectory(plain) == plain)
    }

    @Test("a server whose root is linked in the hashed directory is verified; one whose root is not is refused, not sent")
    func verifiesThroughTheDirectory() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(userCount: 5))
        let trusted = try Self.directory()
        try server.writeCA(to: trusted + "/sandbox.pem")
        let hash = try await Self.subjectHash(trusted + "/sandbox.pem")
        try FileManager.default.createSymbolicLink(atPath: "\(trusted)/\(hash).0", withDestinationPath: "sandbox.pem")
        // The same layout with an unrelated root only.
        let other = try Self.directory()
        try FileManager.default.createSymbolicLink(atPath: other + "/0123abcd.0", withDestinationPath: trusted + "/missing.pem")

        let good = AsyncHTTPTransport(maxConnectionsPerHost: 1, trust: nil, systemRoots: .file(trusted))
        let bad = AsyncHTTPTransport(maxConnectionsPerHost: 1, trust: nil, systemRoots: .file(other))
        let verified = await Result(catching: { try await server.operatorClient(transport: good, timeout: .seconds(10)).me().value.login })
        let refused = await Result(catching: { try await server.operatorClient(transport: bad, timeout: .seconds(10)).me().value.login })
        await good.shutdown()
        await bad.shutdown()
        await server.stop()

        #expect((try? verified.get()) == "sandbox.operator")
        guard case .failure(let error as ECGridError) = refused else {
            Issue.record("an unlinked root was trusted: \(refused)")
            return
        }
        #expect(!error.mayHaveActed && "\(error)".contains("not trusted"), "\(error)")
    }

    /// The real machine: where the hashed directory exists, it is what the client reads.
    @Test("on this machine the hashed /etc/ssl/certs is used when it has links")
    func thisMachine() {
        if SystemTrust.hashedDirectory(SystemTrust.directory) != nil {
            guard case .file(let path) = SystemTrust.roots else {
                Issue.record("the default bundle is parsed although \(SystemTrust.directory) has hashed links")
                return
            }
            #expect(path == SystemTrust.directory)
        } else {
            guard case .default = SystemTrust.roots else {
                Issue.record("no hashed directory, yet not the default")
                return
            }
        }
    }

    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "ecgrid-trust-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// `openssl x509 -subject_hash`: the name `c_rehash` and `update-ca-certificates` give a root.
    static func subjectHash(_ pem: String) async throws -> String {
        let run = try await Spawn.run(["/usr/bin/openssl", "x509", "-subject_hash", "-noout", "-in", pem], environment: ["PATH": "/usr/bin:/bin"])
        guard run.status == 0 else { throw Spawn.Failure(description: "openssl x509 -subject_hash: \(run.stderr)") }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
