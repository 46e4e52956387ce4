import ECGridKit
import Foundation
import JWTKit

/// Which API call a request is: the path and method, as ECGrid's REST v2 names them.
extension SandboxStore {
    func route(_ request: SandboxRequest) async -> SandboxReply {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count >= 3, parts[0] == "v2" else { return .fail(404, "ObjectNotFound", "No such endpoint.") }
        let method = request.method
        func allow(_ allowed: String) -> SandboxReply? {
            method == allowed ? nil
                : .fail(405, "InvalidParameter", "\(method) is not allowed on \(request.path); use \(allowed).")
        }
        switch (parts[1], parts[2], parts.count) {
        case ("auth", "version", 3):
            return allow("GET") ?? .ok("2.6.0-sandbox")
        case ("auth", "login", 3):
            if let refused = allow("POST") { return refused }
            return await login(request)
        case ("auth", "refresh", 3):
            if let refused = allow("POST") { return refused }
            return await refresh(request)
        case ("auth", "session", 3):
            if let refused = allow("POST") { return refused }
            return await authenticated(request) { caller, session in self.sessionInfo(caller, session) }
        case ("auth", "logout", 3):
            if let refused = allow("POST") { return refused }
            return await authenticated(request) { _, session in self.logout(session) }
        case ("users", "list", 3):
            if let refused = allow("POST") { return refused }
            return await authenticated(request) { caller, _ in self.list(caller, request.body) }
        case ("users", "me", 3):
            if let refused = allow("GET") { return refused }
            return await authenticated(request) { caller, _ in self.show(caller, caller.record.userId) }
        case ("users", "by-name", 3):
            if let refused = allow("POST") { return refused }
            return await authenticated(request) { caller, _ in self.byName(caller, request.body) }
        case ("users", "role", 3):
            if let refused = allow("POST") { return refused }
            return await authenticated(request) { caller, _ in self.role(caller, request.body) }
        case ("users", "reset", 4), ("users", "key-generate", 4), ("users", "key", 4):
            let allowed = parts[2] == "key" ? "GET" : "POST"
            if let refused = allow(allowed) { return refused }
            guard let target = Int(parts[3]) else { return .fail(400, "InvalidParameter", "User ID must be a number.") }
            return await authenticated(request) { caller, _ in
                switch parts[2] {
                case "reset": self.reset(caller, target)
                case "key-generate": self.generateKey(caller, target)
                default: self.showKey(caller, target)
                }
            }
        case ("users", let id, 3):
            guard let target = Int(id) else { return .fail(400, "InvalidParameter", "User ID must be a number.") }
            switch method {
            case "GET": return await authenticated(request) { caller, _ in self.show(caller, target) }
            case "DELETE": return await authenticated(request) { caller, _ in self.terminate(caller, target) }
            default: return .fail(405, "InvalidParameter", "\(method) is not allowed on \(request.path).")
            }
        default:
            return .fail(404, "ObjectNotFound", "No such endpoint.")
        }
    }
}
