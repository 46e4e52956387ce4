import ECGridKit
import Foundation
import NIOSSL

/// Says in words why a TLS connection was refused or broke, from the TLS library's error.
enum TLSFailureReason {
    static func words(for error: NIOSSLError) -> String {
        switch error {
        case .handshakeFailed(let underlying):
            return words(forLibraryText: String(describing: underlying))
        case .uncleanShutdown:
            return "the server closed the connection without TLS close_notify"
        case .shutdownFailed:
            return "the TLS shutdown failed"
        default:
            return "TLS error \(error)"
        }
    }

    static func words(for error: NIOSSLExtraError) -> String {
        if error == .failedToValidateHostname || error == .serverHostnameImpossibleToMatch {
            return "the server's certificate is not valid for this host name."
        }
        return String(describing: error)
    }

    /// BoringSSL's reason codes, turned into what the operator can act on.
    static func words(forLibraryText text: String) -> String {
        let upper = text.uppercased()
        if upper.contains("UNSUPPORTED_PROTOCOL") || upper.contains("PROTOCOL_VERSION") || upper.contains("WRONG_VERSION_NUMBER")
            || upper.contains("VERSION_TOO_LOW")
        {
            return "the server offers no TLS version this client accepts (TLS 1.2 or later is required)."
        }
        if upper.contains("CERTIFICATE_VERIFY_FAILED") || upper.contains("UNKNOWN_CA") || upper.contains("SELF_SIGNED") {
            return "the server's certificate is not trusted or not valid for this host (a private CA? set ECGRID_CA_FILE)."
        }
        if upper.contains("HOSTNAME") || upper.contains("HOST NAME") {
            return "the server's certificate is not valid for this host name."
        }
        if upper.contains("CERTIFICATE_EXPIRED") || upper.contains("EXPIRED") {
            return "the server's certificate has expired or is not yet valid."
        }
        if upper.contains("NO_SHARED_CIPHER") || upper.contains("HANDSHAKE_FAILURE") {
            return "the server and this client share no acceptable cipher."
        }
        if upper.contains("BAD_RECORD_MAC") || upper.contains("DECRYPTION_FAILED") || upper.contains("RECORD") {
            return "a TLS record from the server could not be decrypted"
        }
        if !hasSystemTrustStore {
            return "this machine has no system trust store (/etc/ssl/certs): install the ca-certificates package."
        }
        return "TLS error: " + String(text.prefix(160))
    }

    /// True when one of the CA bundles the TLS library reads on Linux exists.
    static var hasSystemTrustStore: Bool {
        ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem", "/etc/ssl/certs"]
            .contains { FileManager.default.fileExists(atPath: $0) }
    }
}
