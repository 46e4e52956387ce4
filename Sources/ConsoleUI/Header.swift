import ECGridKit

extension ConsoleState {
    // MARK: Header

    func drawHeader(_ grid: inout Grid, _ rect: Rect) {
        let dot = " \(glyphs.dot) "
        grid.fill(x: 0, y: rect.y, count: rect.width, style: .header)
        var x = grid.put(" ECGrid console", x: 0, y: rect.y, style: .header)
        x += grid.put(dot, x: x, y: rect.y, style: .header)
        let label = context.isProduction ? " PRODUCTION: \(context.label) " : context.label
        x += grid.put(label, x: x, y: rect.y, style: context.isProduction ? .danger : .header)
        if context.readOnly {
            x += grid.put(dot, x: x, y: rect.y, style: .header)
            x += grid.put("READ-ONLY", x: x, y: rect.y, style: .danger)
        }
        x += grid.put(dot + context.host, x: x, y: rect.y, style: .header)
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
}

extension String {
    fileprivate var trimmingLeadingSpace: String { String(drop { $0 == " " }) }
}
