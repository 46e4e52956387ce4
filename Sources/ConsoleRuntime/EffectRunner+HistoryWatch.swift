extension EffectRunner {
    /// Reloads the history pane whenever any process (another console, a script, another
    /// operator on a shared jump host) appends to the history file. Stop the watcher on exit.
    public func watchHistory() -> HistoryWatcher? {
        try? recorder.store.prepareDirectory()
        return HistoryWatcher(path: recorder.store.path) { [self] in run(.loadHistory) }
    }
}
