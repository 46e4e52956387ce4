import CProcessGuard

/// Keeps a process that holds secrets (an API key, a bearer token) from spilling them into a
/// core file, as ssh-agent and gpg-agent do: no core files at all (`RLIMIT_CORE` 0) and not
/// dumpable (`PR_SET_DUMPABLE` 0), which also keeps other processes of the same user from
/// attaching to it or reading its memory. SIGQUIT gets its default action back, so Swift's crash
/// backtracer does not catch it (the backtracer, which stays on for real crashes, prints no
/// environment).
package enum ProcessHardening {
    /// Applies both settings; returns what failed, in words (empty when all held).
    @discardableResult
    package static func apply() -> [String] {
        var problems: [String] = []
        if ecgrid_disable_core_files() != 0 { problems.append("RLIMIT_CORE could not be set to 0") }
        if ecgrid_set_not_dumpable() != 0 { problems.append("PR_SET_DUMPABLE could not be cleared") }
        if ecgrid_default_quit_action() != 0 { problems.append("SIGQUIT could not be reset") }
        return problems
    }

    /// True when this process can write no core file.
    package static var coreDumpsOff: Bool { ecgrid_core_limit() == 0 && ecgrid_is_dumpable() == 0 }
}
