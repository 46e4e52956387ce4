import ECGridKit
import IncidentLog

/// A failure as the console shows it.
public struct Failure: Error, Sendable, Equatable {
    /// One line: what failed (`GET /v2/users/42 · HTTP 404 · ObjectNotFound`).
    public var summary: String
    /// What it means and what to do.
    public var explanation: String
    public var httpStatus: Int?
    public var errorCode: String?
    /// True when the operator's own login session ended or was revoked.
    public var needsLogin: Bool

    public init(summary: String, explanation: String, httpStatus: Int? = nil, errorCode: String? = nil, needsLogin: Bool = false) {
        self.summary = summary
        self.explanation = explanation
        self.httpStatus = httpStatus
        self.errorCode = errorCode
        self.needsLogin = needsLogin || errorCode == "InvalidSession"
    }

    public init(_ error: any Error) {
        if let error = error as? ECGridError {
            var parts: [String] = []
            if let request = error.request { parts.append(request) }
            if let status = error.httpStatus { parts.append("HTTP \(status)") }
            parts.append(error.codeOrWords)
            self.init(summary: parts.joined(separator: " · "), explanation: error.explanation,
                      httpStatus: error.httpStatus, errorCode: error.errorCode,
                      needsLogin: error.kind == .missingCredentials)
        } else {
            self.init(summary: "error", explanation: "\(error)")
        }
    }
}

/// Facts about where the console runs, fixed for a session.
public struct Environment: Sendable, Equatable {
    /// The profile or environment name, in words (`SANDBOX`, `production`, …).
    public var label: String
    /// Base URL host and port.
    public var host: String
    public var readOnly: Bool
    /// Production shows a distinct banner in words.
    public var isProduction: Bool
    /// The operator logged in with a password (a bearer session) rather than an API key: when
    /// the session is revoked the console offers to log in again.
    public var loginSession: Bool
    /// `tmux` or `screen` when the console runs inside one (TERM says so): copies by OSC 52
    /// need `set-clipboard on` there, and help says so.
    public var multiplexer: String?

    public init(
        label: String, host: String, readOnly: Bool = false, isProduction: Bool = false, loginSession: Bool = false,
        multiplexer: String? = nil
    ) {
        self.multiplexer = multiplexer
        self.label = label
        self.host = host
        self.readOnly = readOnly
        self.isProduction = isProduction
        self.loginSession = loginSession
    }
}

/// The panes focus moves between.
public enum Pane: Int, Sendable, CaseIterable {
    case users, detail, history
}

extension Environment {
    /// `tmux` or `screen` when TERM (or `$TMUX`/`$STY`) says the console runs inside one.
    public static func multiplexer(in environment: [String: String]) -> String? {
        let term = environment["TERM"] ?? ""
        if term.hasPrefix("tmux") || !(environment["TMUX"] ?? "").isEmpty { return "tmux" }
        if term.hasPrefix("screen") || !(environment["STY"] ?? "").isEmpty { return "screen" }
        return nil
    }
}

/// How loading the users is going.
public enum LoadState: Sendable, Equatable {
    case loading(pages: Int)
    case done
    case stopped
    case failed(Failure)
}

/// A target of the confirmation dialog, as re-read from the server.
public enum TargetRead: Sendable, Equatable {
    case reading
    case read(User)
    case failed(Failure)
}

/// The confirmation of a state-changing action: targets re-read when it opens, a reason, and
/// the typed confirmation. A reset may have several targets; the escalations have one.
public struct ConfirmReset: Sendable, Equatable {
    public enum Field: Sendable { case confirmation, reason }
    public var request: Int
    public var userIds: [Int]
    public var reads: [Int: TargetRead]
    public var typed = ""
    public var reason = ""
    public var field: Field = .confirmation
    public var action: UserAction = .resetSessions

    public init(request: Int, userIds: [Int], reads: [Int: TargetRead], action: UserAction = .resetSessions) {
        self.request = request
        self.userIds = userIds
        self.reads = reads
        self.action = action
    }

    /// Said in the dialog after a key that could not act (Enter while the re-read is pending, a
    /// reason at its limit); cleared by the next key that does.
    public var notice: String?

    /// What must be typed, or why nothing can be confirmed: the one rule of `Confirmation`.
    public var rule: Confirmation.Expected { Confirmation.expected(action, targets: userIds, readable: readable) }

    /// What must be typed: the login to terminate (as re-read from the server), else the ID
    /// for one user and the count for several; empty when it cannot be had.
    public var expected: String {
        if case .answer(let answer) = rule { return answer }
        return ""
    }

    /// Why the action cannot be confirmed once the re-reads are in, if it cannot.
    public var refusal: String? {
        guard !readsPending, case .refused(let reason) = rule else { return nil }
        return reason
    }

    /// The longest entry the typed field takes.
    var typedLimit: Int { action == .terminate ? 120 : 12 }
    public var readsPending: Bool { reads.values.contains(.reading) }
    /// Targets the server confirmed, in order.
    public var readable: [User] {
        userIds.compactMap { if case .read(let user)? = reads[$0] { user } else { nil } }
    }
    public var canConfirm: Bool { !readsPending && Confirmation.matches(typed, rule) }
}

/// A user's whole record as read from the server (Enter), shown in the detail pane. It stays
/// until another is read, so moving the selection changes nothing there: a move costs the
/// terminal two short runs of cells, not a pane.
public struct RecordView: Sendable, Equatable {
    public var request: Int
    public var userId: Int
    public var read: TargetRead

    public init(request: Int, userId: Int, read: TargetRead) {
        self.request = request
        self.userId = userId
        self.read = read
    }
}

/// The find-on-server dialog.
public struct FindDialog: Sendable, Equatable {
    public var query = ""
    /// The request in flight, if any.
    public var pending: Int?
    public var failure: Failure?
}

/// What is open on top of the panes.
public enum Dialog: Sendable, Equatable {
    case help(scroll: Int)
    case confirmReset(ConfirmReset)
    case find(FindDialog)
    case quitConfirm
    /// A new API key, shown once; closing the dialog forgets it.
    case newKey(NewKey)
    /// Log in again after the session was revoked.
    case login(LoginDialog)
}

/// The log-in-again dialog: the login, the password (never drawn), the attempt in flight.
public struct LoginDialog: Sendable, Equatable {
    public enum Field: Sendable { case login, password }
    public var login: String
    public var password = ""
    public var field: Field = .password
    public var pending: Int?
    public var failure: Failure?
    /// Why it opened.
    public var reason: String

    public init(login: String, reason: String) {
        self.login = login
        self.reason = reason
        if login.isEmpty { field = .login }
    }
}

/// The one showing of a newly generated API key.
public struct NewKey: Sendable, Equatable {
    public var userId: Int
    public var login: String
    public var key: Secret

    public init(userId: Int, login: String, key: Secret) {
        self.userId = userId
        self.login = login
        self.key = key
    }
}

/// A line of the status area.
public struct StatusLine: Sendable, Equatable {
    public enum Kind: Sendable { case info, success, warning, failure }
    /// Work a transient notice is about: the notice goes when that work ends (loading the
    /// list; a read, a find or a log-in; a state-changing action).
    public enum Work: Sendable { case loading, request, action }
    public var text: String
    public var kind: Kind
    /// Set for a notice about work in progress ("Reloading users…", a retry): cleared when it ends.
    public var during: Work?

    public init(_ text: String, _ kind: Kind = .info, during: Work? = nil) {
        self.text = text
        self.kind = kind
        self.during = during
    }
}

/// What the response pane shows during and after an action.
public struct ResponseView: Sendable, Equatable {
    public var title: String
    public var lines: [StyledLine]
    /// True while the action runs: retries are added as they happen.
    public var inFlight = false
    /// The users the action was about: the pane shows no other user's record beside it.
    public var userIds: [Int]

    public init(title: String, lines: [StyledLine], inFlight: Bool = false, userIds: [Int] = []) {
        self.title = title
        self.lines = lines
        self.inFlight = inFlight
        self.userIds = userIds
    }
}

/// A line of text with one style.
public struct StyledLine: Sendable, Equatable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// Everything the console shows. Changed only by `update`.
public struct ConsoleState: Sendable {
    public var width: Int
    public var height: Int
    public var environment: Environment
    public var glyphs: Glyphs

    public var operatorUser: User?
    public var operatorFailure: Failure?

    /// Loaded users in server order, as the list keeps them, and what `/` searches in them.
    public private(set) var users = UserTable()
    private(set) var search = SearchIndex()
    var positions: [Int: Int] = [:]
    public var load: LoadState = .loading(pages: 0)
    public var loadGeneration = 0
    /// True while a reload (F5) shows the rows from before it, until its first page arrives.
    public var staleRows = false
    /// How loading stood before the reload, to go back to when Esc cancels it.
    var loadBeforeReload: LoadState?
    /// The list as it was before the reload, once its first page replaced the rows: Esc
    /// while the reload still runs puts it back.
    var listBeforeReload: ListSnapshot?

    public var filter = ""
    public var filterEditing = false
    /// Positions in `users` that match the filter, in order.
    public private(set) var visible: [Int] = []
    /// Index into `visible`.
    public var selection = 0
    /// First row of `visible` shown.
    public var scroll = 0

    public var marked: Set<Int> = []
    /// The user to select again once a reload brings it back.
    public var reselect: Int?
    public var focus: Pane = .users
    public var dialog: Dialog?
    public var response: ResponseView?
    /// The record read with Enter, if any.
    public var record: RecordView?
    public var detailScroll = 0

    public var history: [HistoryEntry] = []
    public var historyFailure: Failure?
    public var historyScroll = 0

    /// State-changing actions sent and not yet answered.
    public var actionsInFlight = 0
    public var status: StatusLine?
    public var nextRequest = 1
    public var quitting = false

    public init(width: Int, height: Int, environment: Environment, ascii: Bool = false) {
        self.width = width
        self.height = height
        self.environment = environment
        glyphs = ascii ? .ascii : .unicode
    }

    /// The selected user, if any.
    public var selectedUser: ListedUser? {
        visible.indices.contains(selection) ? users[visible[selection]] : nil
    }

    /// A loaded user by ID, with the fields the list keeps.
    public func user(_ id: Int) -> User? { positions[id].map { users[$0].user } }

    // MARK: Changing the list

    /// Adds users not yet loaded and refreshes those that are, keeping the selection.
    mutating func merge(_ incoming: [User]) {
        let selectedID = selectedUser?.userId
        var appended = false
        var changed = false
        let firstNew = users.count
        for record in incoming {
            let user = ListedUser(record)
            if let position = positions[user.userId] {
                guard users[position] != user else { continue }
                users.replace(at: position, with: user)
                search.replace(at: position, with: user)
                changed = true
            } else {
                positions[user.userId] = users.count
                users.append(user)
                search.append(user)
                appended = true
            }
        }
        if changed, !filter.isEmpty {
            // A record changed: it may match the filter now, or no longer.
            refilter(keeping: selectedID)
        } else if appended {
            // New users go at the end: only they need testing, and the selection stays put.
            let needle = SearchIndex.needle(filter)
            visible.append(contentsOf: (firstNew..<users.count).filter { needle.isEmpty || search.contains($0, needle) })
            if selectedID == nil { selection = 0 }
            keepSelectionVisible()
        }
    }

    /// The loaded list and where the operator was in it.
    struct ListSnapshot: Sendable {
        var users: UserTable
        var search: SearchIndex
        var positions: [Int: Int]
        var visible: [Int]
        var selection: Int
        var scroll: Int
    }

    /// The list as it is now (copy-on-write: costs nothing until the list changes).
    func snapshotList() -> ListSnapshot {
        ListSnapshot(users: users, search: search, positions: positions, visible: visible, selection: selection, scroll: scroll)
    }

    /// Puts back a list taken with `snapshotList`, filtered by the filter of now.
    mutating func restoreList(_ snapshot: ListSnapshot) {
        users = snapshot.users
        search = snapshot.search
        positions = snapshot.positions
        visible = snapshot.visible
        selection = snapshot.selection
        scroll = snapshot.scroll
        refilter(keeping: selectedUser?.userId)
    }

    /// Forgets every loaded user (before a reload).
    mutating func clearUsers() {
        users.removeAll()
        search.removeAll()
        positions = [:]
        visible = []
        selection = 0
        scroll = 0
    }

    /// Recomputes `visible` after the filter or the list changed; narrows incrementally when
    /// the new filter extends the old one.
    mutating func refilter(keeping selectedID: Int?, previousFilter: String? = nil) {
        let needle = SearchIndex.needle(filter)
        if needle.isEmpty {
            visible = Array(users.indices)
        } else if let previous = previousFilter.map(SearchIndex.needle), !previous.isEmpty, needle.starts(with: previous) {
            visible = visible.filter { search.contains($0, needle) }
        } else {
            visible = users.indices.filter { search.contains($0, needle) }
        }
        if let selectedID, let position = positions[selectedID], let index = visible.firstIndex(of: position) {
            selection = index
        } else {
            selection = min(selection, max(0, visible.count - 1))
        }
        keepSelectionVisible()
    }

    /// Rows of users the users pane shows at this size.
    public var userRows: Int { max(1, Layout(width: width, height: height).users.height - 3) }

    mutating func keepSelectionVisible() {
        let rows = userRows
        if selection < scroll { scroll = selection }
        if selection >= scroll + rows { scroll = selection - rows + 1 }
        scroll = max(0, min(scroll, max(0, visible.count - rows)))
    }

    mutating func select(_ index: Int) {
        guard !visible.isEmpty else {
            selection = 0
            scroll = 0
            return
        }
        selection = max(0, min(visible.count - 1, index))
        detailScroll = 0
        keepSelectionVisible()
    }
}
