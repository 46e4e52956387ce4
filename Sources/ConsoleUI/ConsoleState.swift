import ECGridKit

/// The panes focus moves between.
public enum Pane: Int, Sendable, CaseIterable {
    case users, detail, history
}

/// Everything the console shows. Changed only by `update` (and the functions it calls):
/// outside this module every property reads only.
public struct ConsoleState: Sendable {
    /// The terminal's size, in cells.
    public internal(set) var width: Int
    public internal(set) var height: Int
    /// Where the console runs (fixed for a session).
    public internal(set) var context: ConsoleContext
    /// Box drawing and markers: UTF-8 or ASCII.
    public internal(set) var glyphs: Glyphs

    /// The operator as `GET /v2/users/me` answered, and why it could not be read.
    public internal(set) var operatorUser: User?
    public internal(set) var operatorFailure: Failure?

    /// Loaded users in server order, as the list keeps them, and what `/` searches in them.
    public internal(set) var users = UserTable()
    private(set) var search = SearchIndex()
    var positions: [Int: Int] = [:]
    /// How loading the list stands, and the generation whose answers count.
    public internal(set) var load: LoadState = .loading(pages: 0)
    public internal(set) var loadGeneration = 0
    /// True while a reload (F5) shows the rows from before it, until its first page arrives.
    public internal(set) var staleRows = false
    /// How loading stood before the reload, to go back to when Esc cancels it.
    var loadBeforeReload: LoadState?
    /// The list as it was before the reload, once its first page replaced the rows: Esc
    /// while the reload still runs puts it back.
    var listBeforeReload: ListSnapshot?

    /// The `/` filter as typed.
    public internal(set) var filterField = TextField(limit: 80)
    /// True while `/` is being typed.
    public internal(set) var filterEditing = false
    /// Positions in `users` that match the filter, in order.
    public internal(set) var visible: [Int] = []
    /// Index into `visible`.
    public internal(set) var selection = 0
    /// First row of `visible` shown.
    public internal(set) var scroll = 0

    /// Users marked with Space for a bulk reset.
    public internal(set) var marked: Set<Int> = []
    /// The user to select again once a reload brings it back.
    public internal(set) var reselect: Int?
    /// The pane ↑↓ move in.
    public internal(set) var focus: Pane = .users
    /// What is open on top of the panes; it takes every key.
    public internal(set) var dialog: Dialog?
    /// An action's response, in the detail pane.
    public internal(set) var response: ResponseView?
    /// The record read with Enter, if any.
    public internal(set) var record: RecordView?
    /// The first row of the detail pane shown.
    public internal(set) var detailScroll = 0

    /// The history pane's actions, newest first.
    public internal(set) var history: [HistoryItem] = []
    /// Why the history could not be read, and the entry selected in its pane.
    public internal(set) var historyFailure: Failure?
    public internal(set) var historyScroll = 0

    /// State-changing actions sent and not yet answered.
    public internal(set) var actionsInFlight = 0
    /// The header's notice of what just happened.
    public internal(set) var status: StatusLine?
    /// The number the next request takes (answers carry it back).
    public internal(set) var nextRequest = 1
    /// True once the console is to close.
    public internal(set) var quitting = false

    public init(width: Int, height: Int, context: ConsoleContext, ascii: Bool = false) {
        self.width = width
        self.height = height
        self.context = context
        glyphs = ascii ? .ascii : .unicode
    }

    /// The filter's text.
    public var filter: String { filterField.text }

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
