import ConsoleUI
import ECGridKit
import Testing

@Suite("Logging in again when the operator's session is revoked")
struct LoginDialogTests {
    func loginState() -> ConsoleState {
        var state = ConsoleState(
            width: 100, height: 30, context: ConsoleContext(label: "SANDBOX", host: "h:1", loginSession: true))
        _ = state.start()
        _ = state.update(.operatorLoaded(.success(operatorUser)))
        _ = state.update(.usersLoaded(generation: state.loadGeneration, users: sampleUsers(), pages: 1, done: true))
        return state
    }

    let revoked = Failure(summary: "POST /v2/users/list · HTTP 401 · InvalidSession", explanation: "The session is no longer valid.",
                          httpStatus: 401, errorCode: "InvalidSession")

    @Test("a revoked session opens the dialog with what happened; the password is never drawn; Enter sends it once")
    func revokedSession() {
        var state = loginState()
        state.update(.usersFailed(generation: state.loadGeneration, revoked))
        var text = state.screen
        #expect(text.contains("Log in again"))
        #expect(text.contains("ended or was revoked (InvalidSession)"))
        #expect(text.contains("Login:    sandbox.operator"))
        state.type("s3cret!pw")
        text = state.screen
        #expect(!text.contains("s3cret"))
        #expect(text.contains("Password: (typed, hidden)"))
        let effects = state.press(.enter)
        #expect(effects == [.login(request: 1, login: "sandbox.operator", password: Secret("s3cret!pw"))])
        #expect(state.press(.enter).isEmpty)  // one attempt at a time
        #expect(state.screen.contains("Logging in…"))
        // A wrong password: said, and the dialog stays.
        state.update(.loggedIn(request: 1, .failure(Failure(summary: "POST /v2/auth/login · HTTP 401 · InvalidCredentials",
                                                            explanation: "Wrong login or password."))))
        #expect(state.screen.contains("Wrong login or password."))
        state.type("right")
        #expect(state.press(.enter) == [.login(request: 2, login: "sandbox.operator", password: Secret("right"))])
        #expect(state.update(.loggedIn(request: 2, .success(operatorUser))) == [.loadHistory])
        #expect(state.dialog == nil)
        #expect(state.screen.contains("Logged in again as sandbox.operator"))
        // Nothing was lost: the users are still there.
        #expect(state.users.count == 60)
    }

    @Test("on an API key a 401 opens no login dialog, and L says why it is off")
    func apiKey() {
        var state = loadedState()
        state.update(.usersFailed(generation: state.loadGeneration, revoked))
        #expect(state.dialog == nil)
        state.press(.character("L"))
        #expect(state.dialog == nil)
        #expect(state.screen.contains("L: the console runs on an API key"))
    }

    @Test("Esc leaves the dialog and says how to come back; L reopens it")
    func escapeAndReopen() {
        var state = loginState()
        state.update(.operatorLoaded(.failure(revoked)))
        state.press(.escape)
        #expect(state.dialog == nil)
        #expect(state.screen.contains("requests fail until you log in again (L)"))
        state.press(.character("L"))
        #expect(state.screen.contains("Log in again"))
    }
}
