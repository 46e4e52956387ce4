import ECGridKit
import Foundation
import JWTKit

/// The user calls: show, list, by name, reset, keys, terminate, role.
extension SandboxStore {
    // MARK: Users

    func show(_ caller: SandboxUser, _ id: Int) -> SandboxReply {
        switch visible(caller, id) {
        case .failure(let error): return error.reply
        case .success: return wire(id).map { .ok($0) } ?? .fail(404, "ObjectNotFound", "User \(id) was not found.")
        }
    }

    func list(_ caller: SandboxUser, _ raw: [UInt8]) -> SandboxReply {
        let body: ListBody
        if raw.isEmpty {
            body = ListBody()
        } else {
            guard let decoded = try? JSONDecoder().decode(ListBody.self, from: Data(raw)) else {
                return .fail(400, "InvalidParameter", "The body is not a valid list request.")
            }
            body = decoded
        }
        let pageNo = body.pageNo ?? 1
        let perPage = body.recordsPerPage ?? 25
        guard pageNo >= 1, (1...1000).contains(perPage) else {
            return .fail(400, "InvalidParameter", "pageNo must be at least 1 and recordsPerPage 1 to 1000.")
        }
        let level = body.authLevel.map(AuthLevel.parse)
        let status = body.status.map(UserStatus.parse)
        let key = ListCacheKey(
            caller: caller.record.userId, networkId: body.networkId, mailboxId: body.mailboxId, authLevel: level,
            status: status)
        let listed: [Int]
        if let cached = listCache[key] {
            listed = cached
        } else {
            listed = orderedIDs.filter { id in
                guard let user = users[id]?.record, canSee(caller.record, user) else { return false }
                if let network = body.networkId, user.networkId != network { return false }
                if let mailbox = body.mailboxId, user.mailboxId != mailbox { return false }
                if let level, user.authLevel != level { return false }
                if let status, user.status != status { return false }
                return true
            }
            listCache[key] = listed
        }
        let skip = (pageNo - 1) * perPage
        guard skip < listed.count else { return SandboxReply(status: 200, body: WireUserWriter.envelope([])) }
        return SandboxReply(status: 200, body: WireUserWriter.envelope(listed[skip..<min(skip + perPage, listed.count)].compactMap { wire($0) }))
    }

    func byName(_ caller: SandboxUser, _ raw: [UInt8]) -> SandboxReply {
        guard let body = try? JSONDecoder().decode(ByNameBody.self, from: Data(raw)),
            let login = body.login ?? body.loginName, !login.isEmpty
        else {
            return .fail(400, "InvalidParameter", "login is required.")
        }
        let matches = orderedIDs.compactMap { id -> WireUser? in
            guard let user = users[id]?.record, user.login.caseInsensitiveCompare(login) == .orderedSame,
                canSee(caller.record, user)
            else { return nil }
            return wire(id)
        }
        return SandboxReply(status: 200, body: WireUserWriter.envelope(matches))
    }

    func reset(_ caller: SandboxUser, _ id: Int) -> SandboxReply {
        switch managed(caller, id) {
        case .failure(let error): return error.reply
        case .success:
            _ = revokeAll(id)
            return .ok(true)
        }
    }

    func generateKey(_ caller: SandboxUser, _ id: Int) -> SandboxReply {
        switch managed(caller, id) {
        case .failure(let error): return error.reply
        case .success(let target):
            keyIndex.removeValue(forKey: target.apiKey)
            let key = "sbx_" + rng.hex(40)
            users[id]?.apiKey = key
            keyIndex[key] = id
            return .ok(key)
        }
    }

    func showKey(_ caller: SandboxUser, _ id: Int) -> SandboxReply {
        switch managed(caller, id) {
        case .failure(let error): return error.reply
        case .success(let target): return .ok(target.apiKey)
        }
    }

    func terminate(_ caller: SandboxUser, _ id: Int) -> SandboxReply {
        switch managed(caller, id) {
        case .failure(let error): return error.reply
        case .success(let target):
            _ = revokeAll(id)
            keyIndex.removeValue(forKey: target.apiKey)
            users[id]?.record.status = .terminated
            users[id]?.record.modified = ECGridDate(Date())
            listCache = [:]
            return .ok(true)
        }
    }

    func role(_ caller: SandboxUser, _ raw: [UInt8]) -> SandboxReply {
        guard let body = try? JSONDecoder().decode(RoleBody.self, from: Data(raw)) else {
            return .fail(400, "InvalidParameter", "userId and authLevel are required.")
        }
        let level = AuthLevel.parse(body.authLevel)
        guard level.isKnown else { return .fail(400, "InvalidParameter", "Unknown authLevel \(body.authLevel).") }
        switch managed(caller, body.userId) {
        case .failure(let error): return error.reply
        case .success:
            if level != .noChange {
                guard caller.record.authLevel?.isAtLeast(level) == true else {
                    return .fail(403, "AccessDenied", "You may not grant a level above your own.")
                }
                users[body.userId]?.record.authLevel = level
            }
            if let network = body.networkId { users[body.userId]?.record.networkId = network }
            if let mailbox = body.mailboxId { users[body.userId]?.record.mailboxId = mailbox }
            users[body.userId]?.record.modified = ECGridDate(Date())
            listCache = [:]
            return wire(body.userId).map { .ok($0) } ?? .fail(404, "ObjectNotFound", "User was not found.")
        }
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
