import ECGridKit
import IncidentLog

extension ConsoleState {
    /// Draws the whole screen into a grid of `width` × `height` cells.
    public func render() -> Grid {
        var grid = Grid(width: width, height: height, ascii: glyphs.horizontal != "─")
        guard Layout.fits(width: width, height: height) else {
            drawTooSmall(&grid)
            return grid
        }
        let layout = Layout(width: width, height: height)
        drawHeader(&grid, layout.header)
        drawUsers(&grid, layout.users)
        drawDetail(&grid, layout.detail)
        drawHistory(&grid, layout.history)
        drawHints(&grid, layout.hints)
        if let dialog { drawDialog(&grid, dialog) }
        return grid
    }

    func drawTooSmall(_ grid: inout Grid) {
        var lines = ["Terminal too small: \(width)×\(height).", "ecgrid-console needs at least \(Layout.minimumWidth)×\(Layout.minimumHeight).",
                     "Enlarge the window, or press q to quit."]
        // No key reaches what is not drawn: say what waits for a larger window.
        if dialog == .quitConfirm {
            lines[2] = "An action is in flight: enlarge the window to answer \"Quit?\"."
        } else if dialog != nil {
            lines.append("A dialog is open; it takes keys again once the window is large enough.")
        }
        let top = max(0, (height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let x = max(0, (width - TerminalText.width(line)) / 2)
            grid.put(line, x: x, y: top + offset, style: offset == 0 ? .warning : .plain)
        }
    }

    // MARK: Header

    func drawHeader(_ grid: inout Grid, _ rect: Rect) {
        let dot = " \(glyphs.dot) "
        grid.fill(x: 0, y: rect.y, count: rect.width, style: .header)
        var x = grid.put(" ECGrid console", x: 0, y: rect.y, style: .header)
        x += grid.put(dot, x: x, y: rect.y, style: .header)
        let label = environment.isProduction ? " PRODUCTION: \(environment.label) " : environment.label
        x += grid.put(label, x: x, y: rect.y, style: environment.isProduction ? .danger : .header)
        if environment.readOnly {
            x += grid.put(dot, x: x, y: rect.y, style: .header)
            x += grid.put("READ-ONLY", x: x, y: rect.y, style: .danger)
        }
        x += grid.put(dot + environment.host, x: x, y: rect.y, style: .header)
        let who: String
        if let user = operatorUser {
            who = "\(user.login) (\(user.authLevel?.rawValue ?? "unknown level"))"
        } else if operatorFailure != nil {
            who = "operator unknown"
        } else {
            who = "operator…"
        }
        x += grid.put(dot + who, x: x, y: rect.y, style: .header)

        var parts: [String] = []
        let loaded = staleRows
            ? "\(Self.grouped(users.count)) users from before the reload (stale)"
            : "\(Self.grouped(users.count)) users loaded"
        switch load {
        case .loading(let pages): parts.append(loaded + dot + "more on server (page \(pages + 1)…)")
        case .done: parts.append(loaded + dot + "all loaded")
        case .stopped: parts.append(loaded + dot + "more on server (stopped)")
        case .failed: parts.append(loaded + dot + "loading FAILED")
        }
        if actionsInFlight > 0 { parts.append("\(actionsInFlight) action(s) in flight") }
        if !marked.isEmpty { parts.append("\(marked.count) marked") }
        if !filter.isEmpty { parts.append("filter \"\(filter)\": \(visible.count) \(visible.count == 1 ? "match" : "matches")") }
        // The status is what just happened: when the line is too short for everything, the
        // filter and marked counts (also visible in the pane) give way to it.
        if let status {
            let room = rect.width - TerminalText.width(dot + status.text) - 1
            while parts.count > 1, TerminalText.width(" " + parts.joined(separator: dot)) > room,
                  !(actionsInFlight > 0 && parts.count == 2) {
                parts.removeLast()
            }
        }
        x = grid.put(" " + parts.joined(separator: dot), x: 0, y: rect.y + 1, style: .bold)
        if let status {
            let style: Style = switch status.kind {
            case .info: .plain
            case .success: .success
            case .warning: .warning
            case .failure: .failure
            }
            grid.put(dot.trimmingLeadingSpace + status.text, x: x + 1, y: rect.y + 1, style: style)
        }
    }

    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return String(result.reversed())
    }

    // MARK: Panes

    func drawBox(_ grid: inout Grid, _ rect: Rect, title: String, focused: Bool, footer: String? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let border: Style = focused ? .plain : .dim
        let right = rect.x + rect.width - 1
        let bottom = rect.y + rect.height - 1
        for x in rect.x...right {
            grid.put(glyphs.horizontal, x: x, y: rect.y, style: border)
            grid.put(glyphs.horizontal, x: x, y: bottom, style: border)
        }
        for y in rect.y...bottom {
            grid.put(glyphs.vertical, x: rect.x, y: y, style: border)
            grid.put(glyphs.vertical, x: right, y: y, style: border)
        }
        grid.put(glyphs.topLeft, x: rect.x, y: rect.y, style: border)
        grid.put(glyphs.topRight, x: right, y: rect.y, style: border)
        grid.put(glyphs.bottomLeft, x: rect.x, y: bottom, style: border)
        grid.put(glyphs.bottomRight, x: right, y: bottom, style: border)
        let heading = focused ? " \(glyphs.pointer) \(title) " : " \(title) "
        grid.put(heading, x: rect.x + 2, y: rect.y, style: focused ? .title : .bold, limit: rect.width - 4)
        if let footer {
            let w = TerminalText.width(footer) + 2
            grid.put(" \(footer) ", x: max(rect.x + 2, right - w - 1), y: bottom, style: .plain, limit: rect.width - 4)
        }
    }

    /// Column widths of the users pane for an inner width.
    public static func userColumns(_ inner: Int) -> [Int] {
        // pointer+mark, ID, login, name, net/mbx, AuthLevel, status, sessions
        let fixed = 2 + 6 + 9 + 12 + 13 + 4 + 7
        let flexible = max(10, inner - fixed)
        let login = flexible * 2 / 5
        return [2, 6, login, flexible - login, 9, 12, 13, 4]
    }

    func drawUsers(_ grid: inout Grid, _ rect: Rect) {
        let shownFrom = visible.isEmpty ? 0 : scroll + 1
        let shownTo = min(visible.count, scroll + userRows)
        let footer = visible.isEmpty ? nil : "\(shownFrom)\(grid.ascii ? "-" : "–")\(shownTo) of \(Self.grouped(visible.count))"
        drawBox(&grid, rect, title: "Users", focused: focus == .users, footer: footer)
        let inner = rect.width - 2
        let columns = Self.userColumns(inner)
        let x0 = rect.x + 1
        func row(_ cells: [String], y: Int, style: Style, rightAligned: Set<Int> = [1, 7]) {
            var x = x0
            for (index, cell) in cells.enumerated() {
                let text = TerminalText.fit(cell, to: columns[index], ascii: grid.ascii, alignRight: rightAligned.contains(index))
                grid.put(text, x: x, y: y, style: style, limit: columns[index])
                x += columns[index] + (index == 0 ? 0 : 1)
            }
        }
        row(["", "ID", "LOGIN", "NAME", "NET/MBX", "AUTHLEVEL", "STATUS", "SESS"], y: rect.y + 1, style: .bold)
        let firstRow = rect.y + 2
        let rows = userRows
        if visible.isEmpty {
            let message: String
            switch load {
            case .failed(let failure): message = "Could not load users: \(failure.explanation)"
            case .loading where users.isEmpty: message = "Loading users from \(environment.host)…"
            default: message = filter.isEmpty ? "No users." : "No loaded user matches \"\(filter)\". Esc clears the filter; f finds on the server."
            }
            grid.put(message, x: x0 + 1, y: firstRow, style: load == .done || !filter.isEmpty ? .plain : .warning, limit: inner - 2)
            return
        }
        for offset in 0..<rows {
            let index = scroll + offset
            guard index < visible.count else { break }
            let user = users[visible[index]]
            let selected = index == selection
            let mark = (selected ? glyphs.pointer : " ") + (marked.contains(user.userId) ? glyphs.mark : " ")
            let cells = [mark, String(user.userId), user.login, user.displayName, user.place,
                         user.authLevel?.rawValue ?? "-", user.status?.rawValue ?? "-", user.openSessions.map(String.init) ?? "-"]
            let y = firstRow + offset
            let style: Style = staleRows || user.status == .terminated || user.status == .suspended ? .dim : .plain
            row(cells, y: y, style: style)
            // The pointer, ID and login of the selected row stand out; the rest of the row is left
            // as it is, so a move rewrites two short runs of cells, not two whole rows.
            if selected { grid.restyle(x: x0, y: y, count: columns[0] + columns[1], style: .selected) }
        }
    }

    /// The detail pane's title and its lines before wrapping: the response and the record
    /// shown beside it (empty when there is neither). `Y` copies these lines.
    func detailContent() -> (title: String, lines: [StyledLine]) {
        // Beside a response, only a record of one of the action's own users.
        let record = self.record.flatMap { shown in
            response.map { $0.userIds.contains(shown.userId) } ?? true ? shown : nil
        }
        let title = response == nil ? "User record" : record == nil ? "Response" : "Response and user record"
        var lines: [StyledLine] = []
        if let response {
            lines.append(StyledLine(response.title, .title))
            lines.append(contentsOf: response.lines)
        }
        if let record {
            if response != nil { lines.append(StyledLine("")) }
            lines.append(contentsOf: recordLines(record))
        }
        return (title, lines)
    }

    func drawDetail(_ grid: inout Grid, _ rect: Rect) {
        let (title, content) = detailContent()
        var lines = content
        drawBox(&grid, rect, title: title, focused: focus == .detail)
        let inner = rect.width - 4
        if lines.isEmpty {
            lines.append(StyledLine("Enter reads the selected user from the server and shows the whole record here.", .dim))
            lines.append(StyledLine("r resets its sessions (Space marks several users) \(glyphs.dot) K new API key \(glyphs.dot) "
                + "T terminate \(glyphs.dot) ? every key", .dim))
        }
        // Sanitised before wrapping, so what escape sequences become is wrapped too, not cut off.
        let wrapped = lines.flatMap { line in
            Self.wrap(Self.shown(line.text, ascii: grid.ascii), width: inner).map { StyledLine($0, line.style) }
        }
        let rows = rect.height - 2
        let start = max(0, min(detailScroll, max(0, wrapped.count - rows)))
        for (offset, line) in wrapped.dropFirst(start).prefix(rows).enumerated() {
            grid.put(line.text, x: rect.x + 2, y: rect.y + 1 + offset, style: line.style, limit: inner)
        }
    }

    /// Text from outside as a pane shows it: sanitised, and at most 600 characters, with a note
    /// of how many more there were.
    static func shown(_ text: String, ascii: Bool) -> String {
        let limit = 600
        var head = text
        var note = ""
        if text.utf8.count > limit, text.count > limit {
            head = String(text.prefix(limit))
            note = " … (\(grouped(text.count - limit)) more characters)"
        }
        return (ascii ? TerminalText.sanitizeASCII(head) : TerminalText.sanitize(head)) + (ascii ? note.replacingOccurrences(of: "…", with: "...") : note)
    }

    /// The lines of a record read with Enter.
    func recordLines(_ record: RecordView) -> [StyledLine] {
        switch record.read {
        case .reading:
            return [StyledLine("User \(record.userId): reading from the server\(glyphs.ellipsis)", .warning)]
        case .failed(let failure):
            return [StyledLine("User \(record.userId): \(failure.summary)", .failure), StyledLine(failure.explanation, .failure)]
        case .read(let user):
            var lines = [StyledLine("User \(user.userId) \(glyphs.dot) \(user.login) \(glyphs.dot) as the server has it", .title)]
            func field(_ name: String, _ value: String?) {
                guard let value, !value.isEmpty else { return }
                lines.append(StyledLine(name.padding(toLength: 12, withPad: " ", startingAt: 0) + value))
            }
            field("Name", user.displayName)
            field("Email", user.email)
            field("Company", user.company)
            field("Phone", user.phone)
            field("Net/mbx", "\(user.place) \(glyphs.dot) \(user.authLevel?.rawValue ?? "-") \(glyphs.dot) \(user.status?.rawValue ?? "-")")
            var sessions = "\(user.openSessions.map(String.init) ?? "?") open"
            if let locked = user.lockoutStatus { sessions += " \(glyphs.dot) \(locked ? "LOCKED OUT" : "not locked out")" }
            if let timeOut = user.timeOut { sessions += " \(glyphs.dot) time-out \(timeOut) s" }
            field("Sessions", sessions)
            field("Created", user.created?.text)
            field("Last login", user.lastLogin?.text)
            field("Modified", user.modified?.text)
            return lines
        }
    }

    func drawHistory(_ grid: inout Grid, _ rect: Rect) {
        drawBox(&grid, rect, title: "History (\(history.count))", focused: focus == .history)
        let inner = rect.width - 3
        let rows = rect.height - 2
        if let failure = historyFailure {
            grid.put("History unreadable: \(failure.explanation)", x: rect.x + 2, y: rect.y + 1, style: .failure, limit: inner)
            return
        }
        if history.isEmpty {
            grid.put("No actions recorded yet.", x: rect.x + 2, y: rect.y + 1, style: .dim, limit: inner)
            return
        }
        // Each entry: what was done to whom, then (wrapped, at most two lines) the answer, who
        // did it and why. The selected entry is at the top unless the list's end is in view.
        let detailWidth = max(1, inner - 2)
        func height(_ index: Int) -> Int { 1 + min(2, Self.wrap(historyDetail(history[index]), width: detailWidth).count) }
        var start = max(0, min(historyScroll, history.count - 1))
        // Heights from `start` on, only until the pane is full: a history of thousands of
        // entries costs a frame what it shows, not a wrap of every entry.
        var used = 0
        for index in start..<history.count {
            used += height(index)
            if used > rows { break }
        }
        while start > 0, used + height(start - 1) <= rows {
            start -= 1
            used += height(start)
        }
        var y = rect.y + 1
        for index in start..<history.count {
            let entry = history[index]
            let detail = Self.wrap(historyDetail(entry), width: detailWidth).prefix(2)
            guard y + detail.count < rect.y + 1 + rows else { break }
            let time = entry.time.count >= 16
                ? String(entry.time.dropFirst(5).prefix(11)).replacingOccurrences(of: "T", with: " ") : entry.time
            let outcome = OutcomeWord(rawValue: entry.status)
            let word = outcome?.shown ?? (entry.status == "in-flight" ? "IN FLIGHT"
                : entry.status == HistoryEntry.missing ? "OUTCOME MISSING (CUT)" : OutcomeWord.unknown.shown)
            let style: Style = switch outcome {
            case .succeeded: .success
            case .failed: .failure
            case .notSent: .dim
            case .unknown, nil: .warning
            }
            let action = UserAction(historyName: entry.action)?.verb ?? entry.action
            let target = entry.target.map { "\($0.userId) \($0.login ?? "")" } ?? "-"
            let selected = focus == .history && index == historyScroll
            if selected {
                for row in y...(y + detail.count) { grid.fill(x: rect.x + 1, y: row, count: rect.width - 2, style: .selected) }
            }
            var x = rect.x + 2
            x += grid.put("\(time) ", x: x, y: y, style: selected ? .selected : .dim, limit: inner)
            x += grid.put("\(word) ", x: x, y: y, style: selected ? .selected : style, limit: rect.x + 2 + inner - x)
            grid.put("\(action) \(target)", x: x, y: y, style: selected ? .selected : .plain, limit: rect.x + 2 + inner - x)
            for (offset, line) in detail.enumerated() {
                grid.put(line, x: rect.x + 4, y: y + 1 + offset, style: selected ? .selected : .dim, limit: detailWidth)
            }
            y += 1 + detail.count
        }
    }

    /// The second line of a history entry: the server's answer, the operator, the reason.
    func historyDetail(_ entry: HistoryEntry) -> String {
        var parts: [String] = []
        if let result = entry.result {
            if let status = result.httpStatus {
                parts.append("HTTP \(status)" + (result.errorCode.map { " \($0)" } ?? ""))
            } else {
                parts.append(result.errorKind ?? "no HTTP answer")
            }
            if result.sessionsBefore != nil || result.sessionsAfter != nil {
                parts.append("sessions \(result.sessionsBefore.map(String.init) ?? "?") \(glyphs.arrow) "
                    + (result.sessionsAfter.map(String.init) ?? "?"))
            }
            if let latency = result.latencyMs { parts.append("\(latency) ms") }
            if let attempts = result.attempts, attempts > 1 { parts.append("\(attempts) attempts") }
        } else if entry.status == "in-flight" {
            parts.append("running in another process")
        } else {
            parts.append("no answer recorded: check the user on the server")
        }
        parts.append("\(entry.actor.localUser)@\(entry.actor.host)" + (entry.actor.sshClient.map { " from \($0)" } ?? ""))
        if let reason = entry.reason { parts.append(reason) }
        return parts.joined(separator: " \(glyphs.dot) ")
    }

    // MARK: Hint bar

    func drawHints(_ grid: inout Grid, _ rect: Rect) {
        grid.fill(x: 0, y: rect.y, count: rect.width, style: Style(reverse: true))
        let hint: String
        if let dialog {
            hint = switch dialog {
            case .help: " ↑↓ scroll   Esc close"
            case .confirmReset: " type the confirmation   Tab reason field   Enter confirm   Esc cancel (nothing is sent)"
            case .find(let find): find.pending == nil ? " Enter search   Esc close" : " searching…   Esc cancel"
            case .quitConfirm: " y quit anyway   n / Esc stay"
            case .newKey: " Enter or Esc close (the key is then forgotten)"
            case .login(let login): login.pending == nil ? " Tab login/password   Enter log in   Esc not now" : " logging in…"
            }
        } else if filterEditing {
            hint = " Filter: \(filter)\(glyphs.horizontal == "─" ? "▏" : "_")   Enter keep   Esc clear   ↑↓ move"
        } else {
            var labels: [(action: Action, text: String)] = KeyBindings.table.compactMap { binding in
                guard let label = binding.hint else { return nil }
                if let reason = binding.disabledReason(self) {
                    if environment.readOnly && binding.action == .reset { return (binding.action, "\(label) (off: read-only)") }
                    return reason == "no user selected" ? nil : (binding.action, label)
                }
                return (binding.action, label)
            }
            // Narrow terminals drop the most obvious hints first; help (?) lists them all.
            for action in KeyBindings.hintsDroppedFirst
            where TerminalText.width(labels.map(\.text).joined(separator: "  ")) > rect.width - 2 {
                labels.removeAll { $0.action == action }
            }
            hint = " " + labels.map(\.text).joined(separator: "  ")
        }
        grid.put(hint, x: 0, y: rect.y, style: Style(reverse: true), limit: rect.width)
    }

    // MARK: Dialogs

    func drawDialog(_ grid: inout Grid, _ dialog: Dialog) {
        switch dialog {
        case .help(let scroll): drawHelp(&grid, scroll: scroll)
        case .confirmReset(let confirm): drawConfirm(&grid, confirm)
        case .find(let find): drawFind(&grid, find)
        case .newKey(let shown):
            drawPanel(&grid, title: "New API key \(glyphs.dot) \(shown.userId) \(shown.login)", lines: [
                StyledLine("The user's old key no longer works. This is the new one, shown this once and recorded nowhere:"),
                StyledLine(""),
                StyledLine("  " + shown.key.revealed, .bold),
                StyledLine(""),
                StyledLine("Hand it over by a safe channel. Enter or Esc closes this and forgets the key.", .warning),
            ], width: 76)
        case .login(let login):
            let cursor = glyphs.horizontal == "─" ? "▏" : "_"
            var lines = [StyledLine(login.reason, .warning), StyledLine("")]
            let loginMarker = login.field == .login ? glyphs.pointer : " "
            let passwordMarker = login.field == .password ? glyphs.pointer : " "
            lines.append(StyledLine("\(loginMarker) Login:    \(login.login)\(login.field == .login && login.pending == nil ? cursor : "")", .bold))
            // The password is never drawn, not even its length.
            let typed = login.password.isEmpty ? "" : "(typed, hidden)"
            lines.append(StyledLine("\(passwordMarker) Password: \(typed)\(login.field == .password && login.pending == nil ? cursor : "")", .bold))
            if login.pending != nil { lines.append(StyledLine("Logging in\(glyphs.ellipsis)", .warning)) }
            if let failure = login.failure {
                lines.append(StyledLine(failure.summary, .failure))
                lines.append(StyledLine(failure.explanation, .failure))
            }
            drawPanel(&grid, title: "Log in again", lines: lines, width: 70)
        case .quitConfirm:
            drawPanel(&grid, title: "Quit?", lines: [
                StyledLine("An action is still in flight. Its outcome will be recorded as unknown if you quit now.", .warning),
                StyledLine(""), StyledLine("Quit anyway? y = quit, n or Esc = stay", .bold),
            ], width: 60)
        }
    }

    /// Draws a centred box with lines and returns its rectangle.
    @discardableResult
    func drawPanel(_ grid: inout Grid, title: String, lines: [StyledLine], width wanted: Int, scroll: Int = 0) -> Rect {
        let boxWidth = min(wanted, width - 4)
        let wrapped = lines.flatMap { line in Self.wrap(line.text, width: boxWidth - 4).map { StyledLine($0, line.style) } }
        let boxHeight = min(height - 4, wrapped.count + 2)
        let rect = Rect(x: (width - boxWidth) / 2, y: max(1, (height - boxHeight) / 2), width: boxWidth, height: boxHeight)
        for y in rect.y..<(rect.y + rect.height) { grid.fill(x: rect.x, y: y, count: rect.width, style: .plain) }
        drawBox(&grid, rect, title: title, focused: true)
        let start = max(0, min(scroll, wrapped.count - (boxHeight - 2)))
        for (offset, line) in wrapped.dropFirst(start).prefix(boxHeight - 2).enumerated() {
            grid.put(line.text, x: rect.x + 2, y: rect.y + 1 + offset, style: line.style, limit: boxWidth - 4)
        }
        return rect
    }

    func drawHelp(_ grid: inout Grid, scroll: Int) {
        let textWidth = min(76, width - 4) - 4 - 14
        func entry(_ keys: String, _ help: String, _ style: Style) -> [StyledLine] {
            Self.wrap(help, width: textWidth).enumerated().map { index, part in
                StyledLine((index == 0 ? keys : "").padding(toLength: 14, withPad: " ", startingAt: 0) + part, style)
            }
        }
        var lines = [StyledLine("Keys", .bold)]
        for binding in KeyBindings.table {
            var help = binding.help
            var style = Style.plain
            if let reason = binding.disabledReason(self), reason != "no user selected" {
                help += " (disabled: \(reason))"
                style = .dim
            }
            lines += entry(binding.keyLabel, help, style)
        }
        lines.append(StyledLine(""))
        lines.append(StyledLine("In a confirmation (reset, new key, terminate)", .bold))
        for (key, help) in KeyBindings.dialogHelp { lines += entry(key, help, .plain) }
        lines.append(StyledLine(""))
        lines.append(StyledLine("A reset revokes every bearer (JWT) session of the user; API keys keep working.", .dim))
        lines.append(StyledLine(""))
        lines += entry("Copy", "y and Y copy by OSC 52 (ESC ] 52): the terminal puts the text on your local clipboard, "
            + "over SSH too. A new API key is never copied.", .dim)
        if let multiplexer = environment.multiplexer {
            lines += entry("", "Inside \(multiplexer) the copy reaches your clipboard only with `set -g set-clipboard on` "
                + "(tmux) or the equivalent in screen's config.", .warning)
        }
        drawPanel(&grid, title: "Help", lines: lines, width: 76, scroll: scroll)
    }

    func drawFind(_ grid: inout Grid, _ find: FindDialog) {
        let cursor = glyphs.horizontal == "─" ? "▏" : "_"
        var lines = [
            StyledLine("Find on the server: a user ID (digits) or a login.", .plain),
            StyledLine(""),
            StyledLine("\(glyphs.pointer) \(find.query)\(find.pending == nil ? cursor : "")", .bold),
        ]
        if find.pending != nil { lines.append(StyledLine("Searching… (Esc cancels)", .warning)) }
        if let failure = find.failure {
            lines.append(StyledLine(failure.summary, .failure))
            lines.append(StyledLine(failure.explanation, .failure))
        }
        drawPanel(&grid, title: "Find", lines: lines, width: 60)
    }

    // MARK: Text

    /// Splits text into lines of at most `width` columns, at spaces where possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        if text.isEmpty { return [""] }
        // An indented line keeps its indent on every line it wraps to.
        let indent = text.prefix { $0 == " " }.count
        if indent > 0, indent < width, indent < text.count {
            let pad = String(repeating: " ", count: indent)
            return wrap(String(text.dropFirst(indent)), width: width - indent).map { pad + $0 }
        }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let w = TerminalText.width(String(word))
            if currentWidth > 0 && currentWidth + 1 + w > width {
                lines.append(current)
                current = ""
                currentWidth = 0
            }
            if w > width {
                // A word longer than a line: cut it.
                var piece = ""
                var pieceWidth = 0
                for character in word {
                    let cw = TerminalText.width(String(character))
                    if pieceWidth + cw > width {
                        lines.append(piece)
                        piece = ""
                        pieceWidth = 0
                    }
                    piece.append(character)
                    pieceWidth += cw
                }
                current = piece
                currentWidth = pieceWidth
                continue
            }
            if currentWidth > 0 {
                current += " "
                currentWidth += 1
            }
            current += word
            currentWidth += w
        }
        lines.append(current)
        return lines
    }
}

extension String {
    fileprivate var trimmingLeadingSpace: String { String(drop { $0 == " " }) }
}
