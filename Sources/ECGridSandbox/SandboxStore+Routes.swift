import ECGridKit
import Foundation

extension SandboxStore {
    /// One call of the API, as `SandboxRoutes` found it from the path and method.
    enum Call: Sendable {
        case version, login, refresh, session, logout, list, me, byName, role
        case reset(Int), generateKey(Int), showKey(Int), show(Int), terminate(Int)
    }

    /// Answers a call: the credential checked first for every call but version, login and refresh.
    func answer(_ call: Call, _ request: SandboxRequest) async -> SandboxReply {
        switch call {
        case .version: return .ok("2.6.0-sandbox")
        case .login: return await login(request)
        case .refresh: return await refresh(request)
        case .session: return await authenticated(request) { caller, session in self.sessionInfo(caller, session) }
        case .logout: return await authenticated(request) { _, session in self.logout(session) }
        case .list: return await authenticated(request) { caller, _ in self.list(caller, request.body) }
        case .me: return await authenticated(request) { caller, _ in self.show(caller, caller.record.userId) }
        case .byName: return await authenticated(request) { caller, _ in self.byName(caller, request.body) }
        case .role: return await authenticated(request) { caller, _ in self.role(caller, request.body) }
        case .reset(let id): return await authenticated(request) { caller, _ in self.reset(caller, id) }
        case .generateKey(let id): return await authenticated(request) { caller, _ in self.generateKey(caller, id) }
        case .showKey(let id): return await authenticated(request) { caller, _ in self.showKey(caller, id) }
        case .show(let id): return await authenticated(request) { caller, _ in self.show(caller, id) }
        case .terminate(let id): return await authenticated(request) { caller, _ in self.terminate(caller, id) }
        }
    }
}
