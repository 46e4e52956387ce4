/// The question asked before quitting while an action is in flight (`Dialog.quitConfirm`).
enum QuitDialog {
    static let title = "Quit?"

    static let lines = [
        StyledLine("An action is still in flight. Its outcome will be recorded as unknown if you quit now.", .warning),
        StyledLine(""), StyledLine("Quit anyway? y = quit, n or Esc = stay", .bold),
    ]
}
