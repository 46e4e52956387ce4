/// A line of text the operator types into: the confirmation, the reason, the filter, the find
/// query, the login and the password all edit through it, so a key does the same everywhere.
package struct TextField: Sendable, Equatable {
    /// What a key did to the field.
    package enum Edit: Sendable, Equatable {
        /// The text changed (a character added, or the last one erased).
        case changed
        /// A printable character that did not fit: the field is at its limit.
        case full
        /// The key does not edit text (or Backspace on an empty field).
        case ignored
    }

    /// What was typed.
    package private(set) var text: String
    /// The most characters the field takes.
    package let limit: Int

    package init(_ text: String = "", limit: Int) {
        self.text = String(text.prefix(limit))
        self.limit = limit
    }

    /// True when nothing is typed.
    package var isEmpty: Bool { text.isEmpty }

    /// Applies a key: a printable character is added while there is room, Backspace erases
    /// the last character; every other key is left to the caller.
    @discardableResult
    package mutating func apply(_ key: Key) -> Edit {
        if key == .backspace {
            guard !text.isEmpty else { return .ignored }
            text.removeLast()
            return .changed
        }
        guard let character = key.typed else { return .ignored }
        guard text.count < limit else { return .full }
        text.append(character)
        return .changed
    }

    /// Forgets what was typed (a password once sent).
    package mutating func clear() { text = "" }

    /// The field as a dialog shows it: at most `tail` characters, the end kept (where typing
    /// goes) behind an ellipsis, then the cursor when the field has focus.
    package func shown(tail: Int? = nil, focused: Bool, glyphs: Glyphs) -> String {
        var shown = text
        if let tail, text.count > tail { shown = glyphs.ellipsis + text.suffix(tail - 1) }
        return shown + (focused ? glyphs.cursor : "")
    }
}
