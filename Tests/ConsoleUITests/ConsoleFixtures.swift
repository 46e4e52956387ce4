import ConsoleUI
import ECGridKit

/// Users like the sandbox's: plain, wide and hostile names.
func sampleUsers(_ count: Int = 60) -> [User] {
    (0..<count).map { index in
        let id = 40001 + index
        var first = "First\(index)"
        var last = "Last"
        switch index % 10 {
        case 3: (first, last) = ("伟", "王")
        case 5: (first, last) = ("Mallory", "\u{1B}[31mRED\u{1B}[0m\u{1B}[2J")
        case 7: (first, last) = ("Trent", "Invoice\u{202E}fdp.exe")
        case 8: (first, last) = ("Ana 🚀", String(repeating: "Long", count: 50))
        default: break
        }
        return User(userId: id, login: "user.\(index)", email: "u\(index)@x.example", firstName: first, lastName: last,
                    networkId: 10 * (1 + index % 3), mailboxId: 0, authLevel: .networkUser, status: .active, openSessions: index % 4)
    }
}

let operatorUser = User(userId: 1001, login: "sandbox.operator", authLevel: .techOps)

/// A started console with users loaded, at a size.
func loadedState(width: Int = 80, height: Int = 24, users: [User] = sampleUsers(), readOnly: Bool = false, ascii: Bool = false)
    -> ConsoleState
{
    var state = ConsoleState(
        width: width, height: height, context: ConsoleContext(label: "SANDBOX", host: "127.0.0.1:8026", readOnly: readOnly),
        ascii: ascii)
    _ = state.start()
    _ = state.update(.operatorLoaded(.success(operatorUser)))
    _ = state.update(.usersLoaded(generation: state.loadGeneration, users: users, pages: 1, done: true))
    return state
}

extension ConsoleState {
    /// Sends keys one by one and returns every effect they produced.
    @discardableResult
    mutating func press(_ keys: Key...) -> [Effect] {
        keys.flatMap { update(.key($0)) }
    }

    /// Types text, one key per character.
    @discardableResult
    mutating func type(_ text: String) -> [Effect] {
        text.flatMap { update(.key(.character($0))) }
    }

    var screen: String { render().text }
}

/// A successful reset as the runtime reports it.
func succeededReset(_ user: User, before: Int, after: Int) -> ActionReport {
    var old = user
    old.openSessions = before
    var new = user
    new.openSessions = after
    let exchange = ExchangeRecord(
        request: "POST /v2/users/reset/\(user.userId)", httpStatus: 200, success: true, errorCode: nil, message: nil,
        dataSummary: "true", latencyMs: 12, attempts: 1)
    return ActionReport(
        outcome: ActionOutcome(userId: user.userId, before: old, after: new, sent: true, succeeded: true, exchange: exchange),
        actionId: nil)
}

func deniedReset(_ user: User) -> ActionReport {
    let error = ECGridError(.api, httpStatus: 403, errorCode: "AccessDenied", serverMessage: "AuthLevel NetworkUser may not manage user.",
                            attempts: 1, latencyMs: 7, request: "POST /v2/users/reset/\(user.userId)")
    return ActionReport(
        outcome: ActionOutcome(userId: user.userId, before: user, sent: true, succeeded: false, exchange: error.exchange, error: error),
        actionId: nil)
}
