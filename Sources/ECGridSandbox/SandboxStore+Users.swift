import ECGridKit
import Foundation

/// The user calls: show, list, by name, reset, terminate, role.
extension SandboxStore {
    // MARK: Users

    func show(_ caller: Caller, _ id: Int) throws(EnvelopeError) -> WireUser {
        _ = try visible(caller, id)
        guard let user = wire(id) else { throw EnvelopeError(404, "ObjectNotFound", "User \(id) was not found.") }
        return user
    }

    /// One page of the users the caller sees through the filters of `query`.
    func list(_ caller: Caller, _ query: ListBody) throws(EnvelopeError) -> [WireUser] {
        let pageNo = query.pageNo ?? 1
        let perPage = query.recordsPerPage ?? 25
        guard pageNo >= 1, (1...1000).contains(perPage) else {
            throw EnvelopeError(400, "InvalidParameter", "pageNo must be at least 1 and recordsPerPage 1 to 1000.")
        }
        let level = query.authLevel.map(AuthLevel.parse)
        let status = query.status.map(UserStatus.parse)
        let key = ListCacheKey(
            caller: caller.record.userId, networkId: query.networkId, mailboxId: query.mailboxId, authLevel: level,
            status: status)
        let listed: [Int]
        if let cached = listCache[key] {
            listed = cached
        } else {
            listed = orderedIDs.filter { id in
                guard let user = users[id]?.record, canSee(caller.record, user) else { return false }
                if let network = query.networkId, user.networkId != network { return false }
                if let mailbox = query.mailboxId, user.mailboxId != mailbox { return false }
                if let level, user.authLevel != level { return false }
                if let status, user.status != status { return false }
                return true
            }
            listCache[key] = listed
        }
        let skip = (pageNo - 1) * perPage
        guard skip < listed.count else { return [] }
        return listed[skip..<min(skip + perPage, listed.count)].compactMap { wire($0) }
    }

    /// The users the caller sees with this login (on any network).
    func byName(_ caller: Caller, _ login: String) -> [WireUser] {
        orderedIDs.compactMap { id -> WireUser? in
            guard let user = users[id]?.record, user.login.caseInsensitiveCompare(login) == .orderedSame,
                canSee(caller.record, user)
            else { return nil }
            return wire(id)
        }
    }

    /// Revokes every bearer session of the user; its API keys keep working.
    func reset(_ caller: Caller, _ id: Int) throws(EnvelopeError) -> Bool {
        _ = try managed(caller, id)
        _ = revokeAll(id)
        return true
    }

    /// Ends the account for good: sessions revoked, every API key deleted, status Terminated.
    func terminate(_ caller: Caller, _ id: Int) throws(EnvelopeError) -> Bool {
        let target = try managed(caller, id)
        _ = revokeAll(id)
        for keyId in target.keyIDs { removeKey(keyId) }
        users[id]?.record.status = .terminated
        users[id]?.record.modified = ECGridDate(Date())
        listCache = [:]
        return true
    }

    func role(_ caller: Caller, _ change: RoleBody) throws(EnvelopeError) -> WireUser {
        let level = AuthLevel.parse(change.authLevel)
        guard level.isKnown else { throw EnvelopeError(400, "InvalidParameter", "Unknown authLevel \(change.authLevel).") }
        _ = try managed(caller, change.userId)
        if level != .noChange {
            guard caller.record.authLevel?.isAtLeast(level) == true else {
                throw EnvelopeError(403, "AccessDenied", "You may not grant a level above your own.")
            }
            users[change.userId]?.record.authLevel = level
        }
        if let network = change.networkId { users[change.userId]?.record.networkId = network }
        if let mailbox = change.mailboxId { users[change.userId]?.record.mailboxId = mailbox }
        users[change.userId]?.record.modified = ECGridDate(Date())
        listCache = [:]
        guard let user = wire(change.userId) else { throw EnvelopeError(404, "ObjectNotFound", "User was not found.") }
        return user
    }
}

/// Who lists and through which filters: the key of the sandbox's list cache.
struct ListCacheKey: Hashable {
    var caller: Int
    var networkId: Int?
    var mailboxId: Int?
    var authLevel: AuthLevel?
    var status: UserStatus?
}
