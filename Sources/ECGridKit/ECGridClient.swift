import Logging

/// The ECGrid REST v2 client shared by the console, the command line and the tests.
///
/// Every call returns the decoded payload together with an `ExchangeRecord` (status, envelope,
/// latency, attempts), or throws an `ECGridError`. Credentials go only into request headers;
/// nothing the client logs or throws contains them.
public struct ECGridClient: Sendable {
    public let baseURL: BaseURL
    public let transport: any HTTPTransport
    public let credentials: (any CredentialProvider)?
    public var retryPolicy: RetryPolicy
    /// Time-out for one attempt.
    public var timeout: Duration
    /// Largest body accepted.
    public var maxBodyBytes: Int
    /// Told before every retry (the console and the history show them).
    public var onRetry: (@Sendable (RetryEvent) -> Void)?
    /// Told after every attempt, answered or not (`--verbose` prints these). It carries the
    /// method, path, status, latency and attempt: never a header, a body or a credential.
    public var onAttempt: (@Sendable (AttemptEvent) -> Void)?
    public var logger: Logger
    /// Waits between attempts; replaced in tests.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        baseURL: BaseURL, transport: any HTTPTransport, credentials: (any CredentialProvider)?,
        retryPolicy: RetryPolicy = .standard, timeout: Duration = .seconds(30), maxBodyBytes: Int = 16 << 20,
        logger: Logger = Logger(label: "ecgrid.client")
    ) {
        self.baseURL = baseURL
        self.transport = transport
        self.credentials = credentials
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        self.onRetry = nil
        self.onAttempt = nil
        self.logger = logger
        self.sleep = { try await Task.sleep(for: $0) }
    }

    /// The same client with other credentials.
    public func withCredentials(_ provider: (any CredentialProvider)?) -> ECGridClient {
        var copy = ECGridClient(
            baseURL: baseURL, transport: transport, credentials: provider, retryPolicy: retryPolicy, timeout: timeout,
            maxBodyBytes: maxBodyBytes, logger: logger)
        copy.onRetry = onRetry
        copy.onAttempt = onAttempt
        copy.sleep = sleep
        return copy
    }

    // MARK: Auth

    /// `GET /v2/auth/version` (no credential needed).
    public func version() async throws -> ECGridResponse<String> {
        try await call("GET", "/v2/auth/version", body: Optional<Empty>.none, authenticated: false)
    }

    /// `POST /v2/auth/login`: a new bearer session.
    public func login(login: String, password: Secret) async throws -> ECGridResponse<TokenInfo> {
        try await call(
            "POST", "/v2/auth/login", body: LoginRequest(login: login, password: password.revealed),
            authenticated: false, stateChanging: true, secretPayload: true)
    }

    /// `POST /v2/auth/refresh`: a new token; the old one stops working.
    public func refresh(token: Secret) async throws -> ECGridResponse<TokenInfo> {
        try await call(
            "POST", "/v2/auth/refresh", body: RefreshRequest(token: token.revealed), stateChanging: true,
            secretPayload: true)
    }

    /// `POST /v2/auth/session`: the context of the current credential.
    public func session() async throws -> ECGridResponse<SessionInfo> {
        try await call("POST", "/v2/auth/session", body: Optional<Empty>.none)
    }

    /// `POST /v2/auth/logout`: ends the current bearer session.
    public func logout() async throws -> ECGridResponse<Empty?> {
        try await callNullable("POST", "/v2/auth/logout", stateChanging: true)
    }

    // MARK: Users

    /// `POST /v2/users/list`: one page of users.
    public func listUsers(_ query: UserListQuery) async throws -> ECGridResponse<[User]> {
        guard query.pageNo >= 1, query.recordsPerPage >= 1 else {
            throw ECGridError(.invalidInput, detail: "page number and page size must be at least 1")
        }
        return try await call("POST", "/v2/users/list", body: query)
    }

    /// `GET /v2/users/{id}`.
    public func user(id: Int) async throws -> ECGridResponse<User> {
        try Self.check(id)
        return try await call("GET", "/v2/users/\(id)", body: Optional<Empty>.none)
    }

    /// `GET /v2/users/me`: the user the credential belongs to.
    public func me() async throws -> ECGridResponse<User> {
        try await call("GET", "/v2/users/me", body: Optional<Empty>.none)
    }

    /// `POST /v2/users/by-name`: every user with that login (one per network at most).
    public func usersByName(login: String) async throws -> ECGridResponse<[User]> {
        guard !login.isEmpty else { throw ECGridError(.invalidInput, detail: "a login is needed") }
        return try await call("POST", "/v2/users/by-name", body: ByNameRequest(login: login))
    }

    /// `POST /v2/users/reset/{id}`: invalidates every bearer session of the user. API keys keep
    /// working. Never sent as GET, and never sent twice unless the first certainly was not acted on.
    public func resetSessions(userId: Int) async throws -> ECGridResponse<Bool> {
        try Self.check(userId)
        return try await call("POST", "/v2/users/reset/\(userId)", body: Optional<Empty>.none, stateChanging: true)
    }

    /// `POST /v2/users/key-generate/{id}`: a new API key; the old one stops working at once.
    /// The key is returned as a `Secret` and left out of the exchange record.
    public func generateAPIKey(userId: Int) async throws -> ECGridResponse<Secret> {
        try Self.check(userId)
        let response: ECGridResponse<String> = try await call(
            "POST", "/v2/users/key-generate/\(userId)", body: Optional<Empty>.none, stateChanging: true,
            secretPayload: true)
        return ECGridResponse(value: Secret(response.value), exchange: response.exchange)
    }

    /// `GET /v2/users/key/{id}`: the user's current API key (NetworkAdmin or higher).
    public func apiKey(userId: Int) async throws -> ECGridResponse<Secret> {
        try Self.check(userId)
        let response: ECGridResponse<String> = try await call(
            "GET", "/v2/users/key/\(userId)", body: Optional<Empty>.none, secretPayload: true)
        return ECGridResponse(value: Secret(response.value), exchange: response.exchange)
    }

    /// `DELETE /v2/users/{id}`: terminates the account for good.
    public func terminate(userId: Int) async throws -> ECGridResponse<Bool> {
        try Self.check(userId)
        return try await call("DELETE", "/v2/users/\(userId)", body: Optional<Empty>.none, stateChanging: true)
    }

    // MARK: Containing an account

    /// `POST /v2/users/generate-password`: a password meeting the server's policy (the server's
    /// default length when `length` is nil). Changes nothing; the answer is a secret.
    public func generatePassword(length: Int? = nil) async throws -> ECGridResponse<Secret> {
        let response: ECGridResponse<String> = try await call(
            "POST", "/v2/users/generate-password", body: GeneratePasswordRequest(length: length), secretPayload: true)
        return ECGridResponse(value: Secret(response.value), exchange: response.exchange)
    }

    /// `POST /v2/users/password`: sets the user's password (NetworkAdmin or higher). Open
    /// sessions stay live: a reset must follow. Never sent again once it may have left, except
    /// after a real 429.
    public func setPassword(userId: Int, to password: Secret) async throws -> ECGridResponse<Bool> {
        try Self.check(userId)
        guard !password.isEmpty else { throw ECGridError(.invalidInput, detail: "no password to set") }
        return try await call(
            "POST", "/v2/users/password", body: SetPasswordRequest(userId: userId, newPassword: password.revealed),
            stateChanging: true)
    }

    /// `POST /v2/keys/list`: every API key of the user. The records hold the key strings as
    /// `Secret`s; the exchange record only counts them.
    public func apiKeys(userId: Int) async throws -> ECGridResponse<[APIKeyRecord]> {
        try Self.check(userId)
        return try await call("POST", "/v2/keys/list", body: KeyListRequest(userId: userId))
    }

    /// `DELETE /v2/keys` with `{"keyId"}`: the key stops working at once.
    public func deleteAPIKey(keyId: Int) async throws -> ECGridResponse<Bool> {
        guard keyId > 0 else { throw ECGridError(.invalidInput, detail: "key ID \(keyId) is not a positive number") }
        return try await call("DELETE", "/v2/keys", body: DeleteKeyRequest(keyId: keyId), stateChanging: true)
    }

    /// `POST /v2/users/send-sms`: a text message to the user's configured cell number.
    public func sendSMS(userId: Int, message: String) async throws -> ECGridResponse<Bool> {
        try Self.check(userId)
        guard !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ECGridError(.invalidInput, detail: "an empty message is not sent")
        }
        return try await call("POST", "/v2/users/send-sms", body: SendSMSRequest(userId: userId, message: message), stateChanging: true)
    }

    // MARK: Sending an action

    /// Sends `request` for a target already re-read (`before`); after a success that changes
    /// what a re-read shows (a reset, a termination, a new key), re-reads it. Only
    /// `ActionPipeline` calls this, after it has written the intent record: it is the one place
    /// an action's request is made from. Never throws: every failure is in the outcome, with
    /// `sent` false only when the request provably never left.
    public func send(_ request: ActionRequest, to before: User) async -> ActionOutcome {
        let userId = before.userId
        var outcome = ActionOutcome(action: request.action, userId: userId, before: before, sent: true, succeeded: false)
        outcome.key = request.key
        do {
            switch request.action {
            case .resetSessions:
                let response = try await resetSessions(userId: userId)
                confirm(&outcome, response.value, response.exchange, "the sessions were not reset")
            case .terminate:
                let response = try await terminate(userId: userId)
                confirm(&outcome, response.value, response.exchange, "the user was not terminated")
            case .rotateKey:
                let response = try await generateAPIKey(userId: userId)
                let usable = !response.value.isEmpty
                confirm(&outcome, usable, response.exchange, "the server sent no key; the old one may or may not work")
                if usable { outcome.newKey = response.value }
            case .setPassword:
                let response = try await setPassword(userId: userId, to: request.newPassword ?? Secret(""))
                confirm(&outcome, response.value, response.exchange, "the password was not changed")
            case .deleteKey:
                guard let key = request.key else { throw ECGridError(.invalidInput, detail: "no key to delete") }
                let response = try await deleteAPIKey(keyId: key.keyId)
                confirm(&outcome, response.value, response.exchange, "the key was not deleted")
            case .sendNotice:
                let response = try await sendSMS(userId: userId, message: request.notice ?? "")
                confirm(&outcome, response.value, response.exchange, "the message was not sent")
            }
        } catch {
            let failure = ECGridError.wrapping(error)
            outcome.error = failure
            outcome.exchange = failure.exchange
            outcome.sent = !failure.definitelyNotSent
            return outcome
        }
        if outcome.succeeded, UserAction.standalone.contains(request.action) {
            outcome.after = try? await user(id: userId).value
        }
        return outcome
    }

    /// Fills in the answer of a sent action: confirmed when the server's `data` says so.
    private func confirm(_ outcome: inout ActionOutcome, _ confirmed: Bool, _ exchange: ExchangeRecord, _ otherwise: String) {
        outcome.exchange = exchange
        outcome.succeeded = confirmed
        if !confirmed {
            outcome.error = ECGridError(
                .api, httpStatus: exchange.httpStatus, serverMessage: exchange.message,
                detail: "the server answered data: false; \(otherwise)",
                attempts: exchange.attempts, latencyMs: exchange.latencyMs, request: exchange.request)
        }
    }

    static func check(_ id: Int) throws(ECGridError) {
        guard id > 0 else { throw ECGridError(.invalidInput, detail: "user ID \(id) is not a positive number") }
    }

    /// A JSON body that is never sent; stands for "no body".
    public struct Empty: Codable, Sendable, Equatable {}
}

/// Facts about this library.
public enum ECGridKitInfo {
    public static let version = "0.1.0"
}
