import ECGridKit
import Foundation

/// Passwords: the documented policy, generated passwords, an admin's password change and the
/// caller's own. A change never ends open sessions (the docs say so: a reset must follow).
extension SandboxStore {
    /// The policy ECGrid documents, `^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^a-zA-Z0-9]).+$`:
    /// a lower-case letter, an upper-case letter, a digit and a special character.
    static func meetsPolicy(_ password: String) -> Bool {
        password.wholeMatch(of: /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^a-zA-Z0-9]).+$/) != nil
    }

    static let policyRefusal = EnvelopeError(
        400, "InvalidParameter",
        "newPassword must contain a lower-case letter, an upper-case letter, a digit and a special character.")

    /// The lengths `generate-password` makes (the docs give only the default, 12).
    static let generatedLengths = 8...128

    /// A new password meeting the policy, from the system's CSPRNG. NetworkAdmin or higher, as
    /// the password change it is made for.
    func generatePassword(_ caller: Caller, length: Int?) throws(EnvelopeError) -> String {
        guard caller.record.authLevel?.isAtLeast(.networkAdmin) == true else {
            throw EnvelopeError(403, "AccessDenied", "AuthLevel \(caller.record.authLevel?.rawValue ?? "?") may not generate passwords.")
        }
        let length = length ?? 12
        guard Self.generatedLengths.contains(length) else {
            throw EnvelopeError(
                400, "InvalidParameter", "length must be \(Self.generatedLengths.lowerBound) to \(Self.generatedLengths.upperBound).")
        }
        return PasswordGenerator.make(length: length)
    }

    /// Sets a user's password (`POST /v2/users/password`): the old one stops logging in, the
    /// user's open sessions stay live.
    func setPassword(_ caller: Caller, _ userId: Int, _ newPassword: String) throws(EnvelopeError) -> Bool {
        _ = try managed(caller, userId)
        guard Self.meetsPolicy(newPassword) else { throw Self.policyRefusal }
        users[userId]?.password = newPassword
        users[userId]?.record.modified = ECGridDate(Date())
        return true
    }

    /// Changes the caller's own password (`PUT /v2/auth/password`), given the current one.
    func changeOwnPassword(_ caller: Caller, current: String, new: String) throws(EnvelopeError) {
        let id = caller.record.userId
        guard users[id]?.password == current else {
            throw EnvelopeError(400, "InvalidParameter", "currentPassword is not your current password.")
        }
        guard Self.meetsPolicy(new) else { throw Self.policyRefusal }
        users[id]?.password = new
        users[id]?.record.modified = ECGridDate(Date())
    }
}

/// Passwords from the system's CSPRNG (`SystemRandomNumberGenerator`: getrandom on Linux).
enum PasswordGenerator {
    // Without the look-alikes (l, I, O, 0, 1): the user may have to read it off a screen.
    static let lower = Array("abcdefghijkmnopqrstuvwxyz")
    static let upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
    static let digits = Array("23456789")
    /// No quote, backslash, space or tab: JSON and a tab-separated password file take it as it is.
    static let specials = Array("!#%+-.=?@^_~")

    /// `length` (at least 4) characters: one of each class the policy asks for, the rest from
    /// all of them, shuffled.
    static func make(length: Int) -> String {
        var random = SystemRandomNumberGenerator()
        let classes = [lower, upper, digits, specials]
        let all = classes.flatMap { $0 }
        var characters = classes.map { $0[Int.random(in: 0..<$0.count, using: &random)] }
        while characters.count < length { characters.append(all[Int.random(in: 0..<all.count, using: &random)]) }
        characters.shuffle(using: &random)
        return String(characters)
    }
}
