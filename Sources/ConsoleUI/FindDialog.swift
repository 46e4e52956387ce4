import Foundation

/// The find-on-server dialog (`f`): a user ID or a login, the request in flight, what failed.
package struct FindDialog: Sendable, Equatable {
    /// What a key asks of the console.
    enum Outcome: Equatable {
        case stay
        /// Esc: close, cancelling the request in flight if any.
        case cancel(pending: Int?)
        /// Enter: send the query.
        case search(String)
    }

    /// The ID or login typed.
    package internal(set) var queryField = TextField(limit: 80)
    /// The request in flight, if any.
    package internal(set) var pending: Int?
    /// Why the last search found nothing or failed.
    package internal(set) var failure: Failure?

    /// What was typed.
    package var query: String { queryField.text }

    /// Applies a key from the find dialog's binding table.
    mutating func handle(_ key: Key) -> Outcome {
        switch (pending == nil ? DialogMode.find : .finding).command(for: key) {
        case .cancel?:
            return .cancel(pending: pending)
        case .confirm?:
            let trimmed = query.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? .stay : .search(trimmed)
        case .type?:
            queryField.apply(key)
        default:
            break
        }
        return .stay
    }

    /// The dialog's lines.
    func lines(_ glyphs: Glyphs) -> [StyledLine] {
        var lines = [
            StyledLine("Find on the server: a user ID (digits) or a login.", .plain),
            StyledLine(""),
            StyledLine("\(glyphs.pointer) \(queryField.shown(focused: pending == nil, glyphs: glyphs))", .bold),
        ]
        if pending != nil { lines.append(StyledLine("Searching… (Esc cancels)", .warning)) }
        if let failure {
            lines.append(StyledLine(failure.summary, .failure))
            lines.append(StyledLine(failure.explanation, .failure))
        }
        return lines
    }
}
