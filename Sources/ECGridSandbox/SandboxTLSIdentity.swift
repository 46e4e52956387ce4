import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A throwaway certificate authority and the server certificate it signs, made when a sandbox
/// starts: the sandbox speaks HTTPS as production does, and a client trusts it only by naming
/// the CA (`ECGRID_CA_FILE`), never by turning verification off.
///
/// The server certificate names `localhost`, `127.0.0.1` and `::1`; both live one day.
public struct SandboxTLSIdentity: Sendable {
    /// The CA certificate, PEM: what a client adds to its trust.
    public let caPEM: String
    /// The server's certificate and private key, PEM.
    let serverCertificatePEM: String
    let serverKeyPEM: String

    /// The identity of every sandbox of this process that names none: made once, so a test
    /// process that starts many sandboxes hands its clients one CA.
    public static let shared: Result<SandboxTLSIdentity, any Error> = Result { try make() }

    /// Makes a new CA and server certificate.
    public static func make() throws -> SandboxTLSIdentity {
        let caKey = P256.Signing.PrivateKey()
        let caName = try name("ecgrid-console sandbox CA (throwaway)")
        let ca = try certificate(
            of: caKey, subject: caName, issuer: caName, signedBy: caKey,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            })
        let serverKey = P256.Signing.PrivateKey()
        let server = try certificate(
            of: serverKey, subject: try name("localhost"), issuer: caName, signedBy: caKey,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([
                    .dnsName("localhost"),
                    .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                    .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
                ])
            })
        return SandboxTLSIdentity(
            caPEM: try ca.serializeAsPEM().pemString, serverCertificatePEM: try server.serializeAsPEM().pemString,
            serverKeyPEM: serverKey.pemRepresentation)
    }

    private static func name(_ common: String) throws -> DistinguishedName {
        try DistinguishedName {
            OrganizationName("ecgrid-console sandbox")
            CommonName(common)
        }
    }

    /// A certificate valid from an hour ago for a day.
    private static func certificate(
        of key: P256.Signing.PrivateKey, subject: DistinguishedName, issuer: DistinguishedName,
        signedBy issuerKey: P256.Signing.PrivateKey, extensions: Certificate.Extensions
    ) throws -> Certificate {
        let now = Date()
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86_400, issuer: issuer, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: Certificate.PrivateKey(issuerKey))
    }

    /// The server side: this identity, TLS 1.2 or later.
    public func serverConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(serverCertificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        return configuration
    }
}
