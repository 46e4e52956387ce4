import ECGridKit

/// The panes focus moves between.
package enum Pane: Int, Sendable, CaseIterable {
    case users, detail, history
}

/// Everything the console shows. Changed only by `update` (and the functions it calls):
/// outside this module every property reads only.
package struct ConsoleState: Sendable {
    /// The terminal's size, in cells.
    package internal(set) var width: Int
    package internal(set) var height: Int
    /// Where the console runs (fixed for a session).
    package internal(set) var context: ConsoleContext
    /// Box drawing and markers: UTF-8 or ASCII.
    package internal(set) var glyphs: Glyphs

    /// The operator as `GET /v2/users/me` answered, and why it could not be read.
    package internal(set) var operatorUser: User?
    package internal(set) var operatorFailure: Failure?

    /// Loaded users in server order, as the list keeps them, and what `/` searches in them.
    package internal(set) var users = UserTable()
    private(set) var search = SearchIndex()
    var positions: [Int: Int] = [:]
    /// How loading the list stands, and the generation whose answers count.
    package internal(set) var load: LoadState = .loading(pages: 0)
    package internal(set) var loadGeneration = 0
    /// True while a reload (F5) shows the rows from before it, until its first page arrives.
    package internal(set) var staleRows = false
    /// How loading stood before the reload, to go back to when Esc cancels it.
    var loadBeforeReload: LoadState?
    /// The list as it was before the reload, once its first page replaced the rows: Esc
    /// while the reload still runs puts it back.
    var listBeforeReload: ListSnapshot?

    /// The `/` filter as typed.
    package internal(set) var filterField = TextField(limit: 80)
    /// True while `/` is being typed.
    package internal(set) var filterEditing = false
    /// Positions in `users` that match the filter, in order.
    package internal(set) var visible: [Int] = []
    /// Index into `visible`.
    package internal(set) var selection = 0
    /// First row of `visible` shown.
    package internal(set) var scroll = 0

    /// Users marked with Space for a bulk reset.
    package internal(set) var marked: Set<Int> = []
    /// The user to select again once a reload brings it back.
    package internal(set) var reselect: Int?
    /// The pane ↑↓ move in.
    package internal(set) var focus: Pane = .users
    /// What is open on top of the panes; it takes every key.
    package internal(set) var dialog: Dialog?
    /// An action's response, in the detail pane.
    package internal(set) var response: ResponseView?
    /// The record read with Enter, if any.
    package internal(set) var record: RecordView?
    /// The first row of the detail pane shown.
    package internal(set) var detailScroll = 0

    /// The history pane's actions, newest first.
    package internal(set) var history: [HistoryItem] = []
    /// Why the history could not be read, and the entry selected in its pane.
    package internal(set) var historyFailure: Failure?
    package internal(set) var historyScroll = 0

    /// State-changing actions sent and not yet answered.
    package internal(set) var actionsInFlight = 0
    /// The header's notice of what just happened.
    package internal(set) var status: StatusLine?
    /// The number the next request takes (answers carry it back).
    package internal(set) var nextRequest = 1

    package init(width: Int, height: Int, context: ConsoleContext, ascii: Bool = false) {
        self.width = width
        self.height = height
        self.context = context
        glyphs = ascii ? .ascii : .unicode
    }

    /// The filter's text.
    package var filter: String { filterField.text }

    /// The selected user, if any.
    package var selectedUser: ListedUser? {
        visible.indices.contains(selection) ? users[visible[selection]] : nil
    }

    /// A loaded user by ID, with the fields the list keeps.
    package func user(_ id: Int) -> User? { positions[id].map { users[$0].user } }

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
    package var userRows: Int { max(1, Layout(width: width, height: height).users.height - 3) }

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
