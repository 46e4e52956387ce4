import ConsoleTestSupport
import ECGridKit
import ECGridSandbox
import Foundation
import IncidentLog

#if canImport(Glibc)
import Glibc
#endif

/// The operations of the fault matrix: every call the console and the command line make.
enum MatrixOperation: String, CaseIterable, Sendable {
    case list, get, find, reset
    case rotateKey = "rotate-key"
    case terminate

    var stateChanging: Bool { self == .reset || self == .rotateKey || self == .terminate }

    /// The request a fault is aimed at.
    func target(_ id: Int) -> (method: String, path: String) {
        switch self {
        case .list: ("POST", "/v2/users/list")
        case .get: ("GET", "/v2/users/\(id)")
        case .find: ("POST", "/v2/users/by-name")
        case .reset: ("POST", "/v2/users/reset/\(id)")
        case .rotateKey: ("POST", "/v2/users/key-generate/\(id)")
        case .terminate: ("DELETE", "/v2/users/\(id)")
        }
    }

    func arguments(_ id: Int, login: String) -> [String] {
        switch self {
        // One page at a time, so the requests the server sees are exactly the ones expected.
        case .list: ["users", "list", "--concurrency", "1"]
        case .get: ["users", "show", String(id)]
        case .find: ["users", "find", login]
        case .reset: ["reset", String(id), "--yes"]
        case .rotateKey: ["rotate-key", String(id), "--yes"]
        case .terminate: ["terminate", String(id), "--yes"]
        }
    }

    var historyName: String {
        switch self {
        case .reset: UserAction.resetSessions.historyName
        case .rotateKey: UserAction.rotateKey.historyName
        default: UserAction.terminate.historyName
        }
    }
}

/// The faults of the matrix, every one over HTTPS as production runs. All but the last three
/// are the sandbox's (the four after `dropMidBody` live in the TLS connection itself);
/// `untrusted` is a certificate the client does not trust (the command line runs without the
/// sandbox's CA; the console goes through the transport seam); `refused` is a loopback port
/// with nothing listening; `unresolvable` a name that does not resolve, asked inside a network
/// namespace of its own (command line) or through the transport seam (console), so no lookup
/// ever leaves the machine.
enum MatrixFault: String, CaseIterable, Sendable {
    case timeout
    case rateLimited = "429"
    case serverError = "500"
    case unavailable = "503"
    case malformed, html, empty, oversized
    case dropMidBody = "drop-mid-body"
    case closeNoNotify = "close-no-notify"
    case brokenRecord = "broken-record"
    case resetAfterRequest = "reset-after-request"
    case stallAfterRequest = "stall-after-request"
    case untrusted
    case refused
    case unresolvable

    /// The sandbox rule for the request aimed at, or nil for the connection faults.
    func rule(method: String, path: String) -> FaultRule? {
        switch self {
        case .timeout: FaultRule(kind: .slow, pathPrefix: path, method: method, delayMs: 4_000)
        case .rateLimited: FaultRule(kind: .rateLimited, pathPrefix: path, method: method, count: 1, retryAfter: 1)
        case .serverError: FaultRule(kind: .serverError, pathPrefix: path, method: method)
        case .unavailable: FaultRule(kind: .unavailable, pathPrefix: path, method: method)
        case .malformed: FaultRule(kind: .malformed, pathPrefix: path, method: method)
        case .html: FaultRule(kind: .html, pathPrefix: path, method: method)
        case .empty: FaultRule(kind: .empty, pathPrefix: path, method: method)
        case .oversized: FaultRule(kind: .oversized, pathPrefix: path, method: method)
        case .dropMidBody: FaultRule(kind: .dropMidBody, pathPrefix: path, method: method)
        case .closeNoNotify: FaultRule(kind: .closeNoNotify, pathPrefix: path, method: method)
        case .brokenRecord: FaultRule(kind: .brokenRecord, pathPrefix: path, method: method)
        case .resetAfterRequest: FaultRule(kind: .resetAfterRequest, pathPrefix: path, method: method)
        case .stallAfterRequest: FaultRule(kind: .stallAfterRequest, pathPrefix: path, method: method, delayMs: 4_000)
        case .untrusted, .refused, .unresolvable: nil
        }
    }

    /// True for the faults that strike before the request can leave the machine.
    var beforeSending: Bool { self == .untrusted || self == .refused || self == .unresolvable }

    /// The error the client must report, sent or not as the fault implies.
    var expectedError: ECGridError? {
        guard let kind else { return nil }
        var error = ECGridError(kind, httpStatus: self == .serverError ? 500 : self == .unavailable ? 503 : nil)
        error.requestSent = !beforeSending
        return error
    }

    /// The client's time-out: short where the time-out is the fault (the server holds the
    /// request 4 s), generous elsewhere, so a busy machine never turns another fault into one.
    var clientTimeout: String { self == .timeout || self == .stallAfterRequest ? "1.5" : "20" }

    /// The error the client must report.
    var kind: ECGridError.Kind? {
        switch self {
        case .timeout: .timeout
        case .rateLimited: nil
        case .serverError, .unavailable: .api
        case .malformed: .malformedBody
        case .html: .unexpectedStatus
        case .empty: .emptyBody
        case .oversized: .bodyTooLarge
        case .dropMidBody, .resetAfterRequest: .connectionDropped
        case .closeNoNotify, .brokenRecord, .untrusted: .tlsFailure
        case .stallAfterRequest: .timeout
        case .refused: .connectionRefused
        case .unresolvable: .hostNotFound
        }
    }

    /// Words the operator must be shown.
    var message: String {
        switch self {
        case .timeout: "No answer in time"
        case .rateLimited: ""
        case .serverError, .unavailable: "The ECGrid server failed"
        case .malformed: "not the JSON ECGrid sends"
        case .html: "without an ECGrid envelope"
        case .empty: "empty body"
        case .oversized: "larger than the client accepts"
        case .dropMidBody, .resetAfterRequest: "The connection dropped"
        case .closeNoNotify, .brokenRecord: "The TLS connection broke after the request was sent"
        case .stallAfterRequest: "No answer in time"
        case .untrusted: "The TLS handshake failed"
        case .refused: "Connection refused"
        case .unresolvable: "does not resolve"
        }
    }
}

/// What must happen for one cell of the matrix.
struct MatrixExpectation {
    /// The command line's exit status.
    var exit: Int32
    /// Times the request aimed at may reach the server (nil: it cannot reach it at all).
    var sends: Int?
    /// The history's outcome for a state-changing action (nil: nothing recorded, a read).
    var outcome: OutcomeDetails.Status?
    var succeeds: Bool { exit == 0 }
    /// For a read that times out, the client's own deadline (1.5 s for the whole exchange) may
    /// strike on a busy machine before an attempt's request reaches the server: then the server
    /// sees fewer attempts than were made. A state change must still be seen exactly as often.
    var timeoutRead = false
    /// Requests past `sends` a cell allows (pages asked in flight past the list's end).
    var extraSends = 0

    /// True when the server saw the request as often as this cell allows.
    func accepts(seen: Int) -> Bool {
        guard let sends else { return true }
        return timeoutRead ? (1...sends).contains(seen) : (sends...(sends + extraSends)).contains(seen)
    }

    /// Requests for the pages after the first, once the first arrived: the command line walks
    /// pages 2 to 4 one by one (300 users, 100 a page, page 4 comes back short); the console
    /// asks for four pages at once after the first.
    /// After a full first page the walk asks for pages 2, 3 and 4 (the short one that ends the
    /// 300-user list). The console asks four at a time: up to four pages past the ones known
    /// full may be in flight when the short page comes, so up to three more (pages 5 to 7).
    static func laterPages(console: Bool) -> Int { 3 }
    static func extraLaterPages(console: Bool) -> Int { console ? 3 : 0 }

    init(_ operation: MatrixOperation, _ fault: MatrixFault, console: Bool = false) {
        self.init(operation, fault)
        timeoutRead = !operation.stateChanging && (fault == .timeout || fault == .stallAfterRequest)
        if operation == .list, exit == 0, let first = sends {
            sends = first + Self.laterPages(console: console)
            extraSends = Self.extraLaterPages(console: console)
        }
    }

    init(_ operation: MatrixOperation, _ fault: MatrixFault) {
        let write = operation.stateChanging
        switch fault {
        case .rateLimited:
            // Refused before acting, with Retry-After: waited out and sent again, once.
            self.init(exit: 0, sends: 2, outcome: write ? .succeeded : nil)
        case .timeout, .dropMidBody, .closeNoNotify, .brokenRecord, .resetAfterRequest, .stallAfterRequest:
            // The request went out and the answer was lost: a read is tried three times; a state
            // change is never sent again, and its outcome is unknown.
            self.init(exit: 1, sends: write ? 1 : 3, outcome: write ? .unknown : nil)
        case .serverError, .unavailable:
            self.init(exit: 1, sends: write ? 1 : 3, outcome: write ? .unknown : nil)
        case .malformed, .html, .empty, .oversized:
            // An answer came and cannot be used: not retried; a state change may have happened.
            self.init(exit: 1, sends: 1, outcome: write ? .unknown : nil)
        case .untrusted:
            // The handshake fails before the request: nothing reaches the API, the failure is not
            // retried, and a state change is recorded as not sent.
            self.init(exit: 1, sends: 0, outcome: write ? .notSent : nil)
        case .refused, .unresolvable:
            // Nothing reaches the server: a state change is recorded as not sent.
            self.init(exit: 1, sends: nil, outcome: write ? .notSent : nil)
        }
    }

    init(exit: Int32, sends: Int?, outcome: OutcomeDetails.Status?) {
        self.exit = exit
        self.sends = sends
        self.outcome = outcome
    }
}

/// A user the demo operator may act on: below TechOps, active, in the sandbox's first users.
func actionableUser(_ server: SandboxServer, skip: Int = 0) async -> User? {
    var found = 0
    for id in SandboxAccounts.firstGeneratedID..<(SandboxAccounts.firstGeneratedID + 200) {
        guard let user = await server.store.user(id), user.authLevel?.isAtLeast(.techOps) == false,
              user.status == .active, !user.login.isEmpty, user.login.allSatisfy({ $0.isASCII && !$0.isWhitespace })
        else { continue }
        if found == skip { return user }
        found += 1
    }
    return nil
}

/// Waits until the sandbox has seen `count` requests aimed at `target` (a slow request is
/// counted when it is acted on), then returns how many it saw.
func sends(_ server: SandboxServer, _ target: (method: String, path: String), atLeast count: Int) async -> Int {
    let deadline = ContinuousClock.now + .seconds(20)
    var seen = 0
    while ContinuousClock.now < deadline {
        seen = await server.store.count(method: target.method, pathPrefix: target.path)
        if seen >= count { break }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return seen
}

/// A loopback port with nothing listening on it: bound, never listening, and held open for the
/// life of the test process, so no server started by another test can take it meanwhile.
func closedLoopbackPort() -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// True when this process may make a network namespace of its own (root, or a kernel that
/// lets users do it): then a name lookup can be tried with no way out of the machine.
func networkNamespaceAvailable() async -> Bool {
    (try? await Spawn.run(["/usr/bin/unshare", "-n", "--", "/bin/true"], environment: ["PATH": "/usr/bin:/bin"]).status) == 0
}

/// Runs `body` over `items` with at most `limit` at once.
func forEachConcurrently<Item: Sendable>(
    _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Void
) async {
    await withTaskGroup(of: Void.self) { group in
        var next = 0
        while next < min(limit, items.count) {
            let item = items[next]
            group.addTask { await body(item) }
            next += 1
        }
        while await group.next() != nil, next < items.count {
            let item = items[next]
            group.addTask { await body(item) }
            next += 1
        }
    }
}
