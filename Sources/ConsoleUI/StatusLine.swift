/// A line of the status area.
package struct StatusLine: Sendable, Equatable {
    package enum Kind: Sendable { case info, success, warning, failure }
    /// Work a transient notice is about: the notice goes when that work ends (loading the
    /// list; a read, a find or a log-in; a state-changing action).
    package enum Work: Sendable { case loading, request, action }
    package var text: String
    package var kind: Kind
    /// Set for a notice about work in progress ("Reloading users…", a retry): cleared when it ends.
    package var during: Work?

    package init(_ text: String, _ kind: Kind = .info, during: Work? = nil) {
        self.text = text
        self.kind = kind
        self.during = during
    }
}
