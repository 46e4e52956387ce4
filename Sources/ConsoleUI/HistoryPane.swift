import ECGridKit
import Foundation

extension ConsoleState {
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
            let word = entry.status.shown
            let style: Style = switch entry.status {
            case .succeeded: .success
            case .failed: .failure
            case .notSent: .dim
            case .unknown, .inFlight, .missing: .warning
            }
            let action = entry.verb
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
    func historyDetail(_ entry: HistoryItem) -> String {
        var parts: [String] = []
        if let answer = entry.answer {
            parts.append(answer.httpStatus.map { Headline.of(httpStatus: $0, code: answer.errorCode) }
                ?? answer.errorKind ?? "no HTTP answer")
            if answer.sessionsBefore != nil || answer.sessionsAfter != nil {
                parts.append("sessions \(answer.sessionsBefore.map(String.init) ?? "?") \(glyphs.arrow) "
                    + (answer.sessionsAfter.map(String.init) ?? "?"))
            }
            if let latency = answer.latencyMs { parts.append("\(latency) ms") }
            if let attempts = answer.attempts, attempts > 1 { parts.append("\(attempts) attempts") }
        } else if entry.status == .inFlight {
            parts.append("running in another process")
        } else {
            parts.append("no answer recorded: check the user on the server")
        }
        parts.append(entry.actor.text)
        if let reason = entry.reason { parts.append(reason) }
        return parts.joined(separator: " \(glyphs.dot) ")
    }
}
