import ECGridKit
import Foundation

/// One API key of a user, as the sandbox keeps it. A user may hold several; each one
/// authenticates as `X-API-Key` until it is deleted (or the user is terminated).
///
/// The first key of a user is its primary key: the one `GET /v2/users/key/{id}` and
/// `POST /v2/keys/get-key` show, and the one `POST /v2/users/key-generate/{id}` replaces (the
/// docs leave open how that call relates to the key records; here it rotates the primary and
/// leaves the others working). Deleting the primary makes the next key the primary.
struct SandboxKey: Sendable {
    /// `KeyVisibility` in ECGrid's docs.
    enum Visibility: String, Sendable, CaseIterable {
        case `private` = "Private"
        case shared = "Shared"
        case `public` = "Public"
        case session = "Session"

        /// A visibility by name, whatever its case, else the 400 ECGrid answers.
        static func parse(_ name: String) throws(EnvelopeError) -> Visibility {
            guard let known = allCases.first(where: { $0.rawValue.caseInsensitiveCompare(name) == .orderedSame }) else {
                throw EnvelopeError(
                    400, "InvalidParameter", "visibility must be one of \(allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return known
        }
    }

    var keyId: Int
    var userId: Int
    /// The key itself.
    var secret: String
    var visibility: Visibility
    var created: ECGridDate

    /// The record as the API sends it: the key in full only where the docs show it (the answer
    /// of `POST /v2/keys/create`), elsewhere its prefix and last four characters.
    func wire(showingKey: Bool) -> KeyOut {
        KeyOut(
            keyId: keyId, userId: userId, key: showingKey ? secret : Self.masked(secret), visibility: visibility.rawValue,
            created: created.text)
    }

    /// `sbx_…1a2b`: enough to tell keys apart, useless as a credential.
    static func masked(_ secret: String) -> String { "\(secret.prefix(4))…\(secret.suffix(4))" }
}

/// A key record on the wire.
struct KeyOut: Encodable, Sendable {
    var keyId: Int
    var userId: Int
    var key: String
    var visibility: String
    var created: String
}
