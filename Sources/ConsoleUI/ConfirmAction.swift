import Foundation
import ECGridKit

/// The one confirmation of a state-changing action (reset, key rotation, terminate): targets
/// re-read when it opens, a reason, and the typed confirmation. A reset may have several
/// targets; the others have one. Its words come from its action.
package struct ConfirmAction: Sendable, Equatable {
    /// The text fields, in the order Tab visits them.
    package enum Field: Sendable { case confirmation, reason }

    /// What a key asks of the console.
    package enum Outcome: Sendable, Equatable {
        case stay
        /// Esc: close, send nothing.
        case cancel
        /// Enter on a match, the whole dialog drawn: send the action to these users.
        case confirm(targets: [User], reason: String?)
        /// Enter on a match the screen cannot show whole.
        case enlarge
    }

    /// The action confirmed: every word of the dialog comes from it.
    package let action: UserAction
    /// The request of the targets' re-read (their answers carry it).
    package let request: Int
    /// The targets, in order: the marked users of a reset, else the selected user.
    package let userIds: [Int]
    /// Each target's re-read, as it stands.
    package internal(set) var reads: [Int: TargetRead]
    /// The typed confirmation (an ID, a count or a login).
    package internal(set) var typedField: TextField
    /// The optional reason or ticket, kept whole in the history.
    package internal(set) var reasonField = TextField(limit: ActionReason.maximumLength)
    /// Focus starts on the typed field, never on a "Yes".
    package internal(set) var field: Field = .confirmation
    /// Said in the dialog after a key that could not act (Enter while the re-read is pending, a
    /// reason at its limit); cleared by the next key that does.
    package internal(set) var notice: String?

    package init(_ action: UserAction, request: Int, userIds: [Int]) {
        self.action = action
        self.request = request
        self.userIds = userIds
        var reads: [Int: TargetRead] = [:]
        for id in userIds { reads[id] = .reading }
        self.reads = reads
        typedField = TextField(limit: action == .terminate ? 120 : 12)
    }

    /// What was typed to confirm.
    package var typed: String { typedField.text }
    /// The reason or ticket given.
    package var reason: String { reasonField.text }

    /// What must be typed, or why nothing can be confirmed: the one rule of `Confirmation`.
    package var rule: Confirmation.Expected { Confirmation.expected(action, targets: userIds, readable: readable) }

    /// What must be typed: the login to terminate (as re-read from the server), else the ID
    /// for one user and the count for several; empty when it cannot be had.
    package var expected: String {
        if case .answer(let answer) = rule { return answer }
        return ""
    }

    /// Why the action cannot be confirmed once the re-reads are in, if it cannot.
    package var refusal: String? {
        guard !readsPending, case .refused(let reason) = rule else { return nil }
        return reason
    }

    /// True while a target's re-read is awaited.
    package var readsPending: Bool { reads.values.contains(.reading) }
    /// Targets the server confirmed, in order.
    package var readable: [User] {
        userIds.compactMap { if case .read(let user)? = reads[$0] { user } else { nil } }
    }
    /// True when Enter would send: the re-reads are in and the typed text matches.
    package var canConfirm: Bool { !readsPending && Confirmation.matches(typed, rule) }

    /// Takes the re-read of one target; true when it was the last one awaited.
    mutating func take(_ userId: Int, _ result: Result<User, Failure>) -> Bool {
        switch result {
        case .success(let user): reads[userId] = .read(user)
        case .failure(let failure): reads[userId] = .failed(failure)
        }
        guard !readsPending else { return false }
        // The wait the notice spoke of is over; a refusal, if any, is said by the dialog.
        notice = nil
        return true
    }

    /// Applies a key from the confirmation's binding table. `fullyDrawn`: the whole dialog is
    /// on screen (Enter acts only then).
    mutating func handle(_ key: Key, fullyDrawn: Bool) -> Outcome {
        switch DialogMode.confirm.command(for: key) {
        case .cancel?:
            return .cancel
        case .confirm?:
            return enter(fullyDrawn: fullyDrawn)
        case .switchField?:
            field = field == .confirmation ? .reason : .confirmation
            notice = nil
        case .type?:
            type(key)
        default:
            break
        }
        return .stay
    }

    private mutating func enter(fullyDrawn: Bool) -> Outcome {
        guard canConfirm, fullyDrawn else {
            // Enter that cannot act says why, in the dialog, and does nothing else.
            if canConfirm {
                notice = "Enlarge the window: the whole confirmation must be visible before Enter acts."
                return .enlarge
            } else if readsPending {
                notice = "Waiting for the server's re-read: Enter does nothing until it arrives."
            } else if let refusal {
                notice = "Refused: \(refusal). Nothing is sent; Esc closes."
            } else {
                notice = nil
            }
            return .stay
        }
        let trimmed = reason.trimmingCharacters(in: .whitespaces)
        return .confirm(targets: readable, reason: trimmed.isEmpty ? nil : trimmed)
    }

    private mutating func type(_ key: Key) {
        notice = nil
        switch field {
        case .confirmation:
            typedField.apply(key)
        case .reason:
            if reasonField.apply(key) == .full {
                notice = "The reason is at its limit of \(ActionReason.maximumLength) characters; that key was not added."
            }
        }
    }
}
