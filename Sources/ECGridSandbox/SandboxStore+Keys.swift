import ECGridKit
import Foundation

/// The API key calls: the key records of `/v2/keys`, and the primary key that
/// `/v2/users/key-generate/{id}` rotates and `/v2/users/key/{id}` shows (see `SandboxKey`).
/// All of them need NetworkAdmin or higher over the key's user, as the other user management does.
extension SandboxStore {
    /// The user's keys, the primary first, of one visibility when `visibility` is set; masked.
    func listKeys(_ caller: Caller, _ userId: Int, visibility: SandboxKey.Visibility?) throws(EnvelopeError) -> [KeyOut] {
        try managed(caller, userId).keyIDs.compactMap { keys[$0] }
            .filter { visibility == nil || $0.visibility == visibility }
            .map { $0.wire(showingKey: false) }
    }

    /// The user's primary key record, masked.
    func primaryKey(_ caller: Caller, _ userId: Int) throws(EnvelopeError) -> KeyOut {
        try primary(of: try managed(caller, userId)).wire(showingKey: false)
    }

    /// A new key for the user; its record carries the key in full, the only time it is shown.
    func createKey(_ caller: Caller, _ userId: Int, visibility: SandboxKey.Visibility) throws(EnvelopeError) -> KeyOut {
        _ = try managed(caller, userId)
        return addKey(for: userId, visibility: visibility, asPrimary: false).wire(showingKey: true)
    }

    /// Deletes a key: it stops authenticating at once. A key the caller cannot see (its user
    /// is not visible) is not found, like one that never was.
    func deleteKey(_ caller: Caller, _ keyId: Int) throws(EnvelopeError) -> Bool {
        guard let key = keys[keyId], let owner = users[key.userId], canSee(caller.record, owner.record) else {
            throw EnvelopeError(404, "ObjectNotFound", "API key \(keyId) was not found.")
        }
        _ = try managed(caller, key.userId)
        removeKey(keyId)
        return true
    }

    /// Replaces the user's primary key with a new one (same visibility) and returns it: the
    /// old primary stops working at once, the user's other keys keep working.
    func generateKey(_ caller: Caller, _ id: Int) throws(EnvelopeError) -> String {
        let target = try managed(caller, id)
        let old = target.keyIDs.first.flatMap { keys[$0] }
        if let old { removeKey(old.keyId) }
        return addKey(for: id, visibility: old?.visibility ?? .private, asPrimary: true).secret
    }

    /// The user's primary key, in full (`GET /v2/users/key/{id}`).
    func showKey(_ caller: Caller, _ id: Int) throws(EnvelopeError) -> String {
        try primary(of: try managed(caller, id)).secret
    }

    func primary(of user: SandboxUser) throws(EnvelopeError) -> SandboxKey {
        guard let key = user.keyIDs.first.flatMap({ keys[$0] }) else {
            throw EnvelopeError(404, "ObjectNotFound", "User \(user.record.userId) has no API key.")
        }
        return key
    }

    func addKey(for userId: Int, visibility: SandboxKey.Visibility, asPrimary: Bool) -> SandboxKey {
        let key = SandboxKey(
            keyId: nextKeyID, userId: userId, secret: "sbx_" + rng.hex(40), visibility: visibility, created: ECGridDate(Date()))
        nextKeyID += 1
        keys[key.keyId] = key
        keyIndex[key.secret] = key.keyId
        if asPrimary {
            users[userId]?.keyIDs.insert(key.keyId, at: 0)
        } else {
            users[userId]?.keyIDs.append(key.keyId)
        }
        return key
    }

    func removeKey(_ keyId: Int) {
        guard let key = keys.removeValue(forKey: keyId) else { return }
        keyIndex.removeValue(forKey: key.secret)
        users[key.userId]?.keyIDs.removeAll { $0 == keyId }
    }
}
