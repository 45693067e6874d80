import Playground

/// The ncurses terminal is what the playground's program loop draws on.
extension Terminal: TerminalBackend {
    public func apply(theme: Theme) {
        setTheme(theme)
    }
}
