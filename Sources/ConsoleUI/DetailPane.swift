import ECGridKit
import Foundation

extension ConsoleState {
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
}
