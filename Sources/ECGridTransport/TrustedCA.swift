import ECGridKit
import Foundation
import NIOSSL

/// One extra certificate authority to trust besides the system's, as ops tools offer it
/// (curl's `--cacert`, kubectl's `certificate-authority`): from `ECGRID_CA_FILE` or a profile's
/// `ca_file`. It only adds a root; verification of the chain and the host name stays on.
public struct TrustedCA: Sendable {
    /// The certificates of the PEM file (a bundle may hold several).
    public let certificates: [NIOSSLCertificate]
    /// Where it came from, for messages.
    public let source: String

    /// Reads a PEM file. Refuses, with what to do, a file that is missing, unreadable, empty or
    /// not PEM certificates.
    public init(file path: String) throws(ECGridError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ECGridError(.invalidInput, detail: "The CA file \(path) cannot be read: check ECGRID_CA_FILE or the profile's ca_file.")
        }
        try self.init(pem: Array(data), source: path)
    }

    /// Several CA files as one trust addition.
    public init?(combining parts: [TrustedCA]) {
        guard !parts.isEmpty else { return nil }
        certificates = parts.flatMap(\.certificates)
        source = parts.map(\.source).joined(separator: ", ")
    }

    /// Reads PEM text (the sandbox hands its CA over this way).
    public init(pem: [UInt8], source: String) throws(ECGridError) {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(pem)
        } catch {
            throw ECGridError(.invalidInput, detail: "The CA file \(source) holds no PEM certificate (-----BEGIN CERTIFICATE-----).")
        }
        guard !certificates.isEmpty else {
            throw ECGridError(.invalidInput, detail: "The CA file \(source) holds no PEM certificate (-----BEGIN CERTIFICATE-----).")
        }
        self.certificates = certificates
        self.source = source
    }
}
