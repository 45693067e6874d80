/// What the program needs of a terminal: input, drawing, the clipboard and a way to step out
/// for an external editor. The ncurses backend implements it; tests use an in-memory one.
public protocol TerminalBackend: AnyObject {
    var size: (width: Int, height: Int) { get }
    /// Waits up to `timeoutMilliseconds` for input; returns what arrived (maybe nothing).
    func readInput(timeoutMilliseconds: Int) -> [InputEvent]
    func draw(_ screen: Screen)
    func apply(theme: Theme)
    /// Puts text on the system clipboard (OSC 52).
    func copyToClipboard(_ text: String)
    /// Leaves the full-screen mode while `body` runs (an external editor), then redraws.
    func suspend<Result>(_ body: () throws -> Result) rethrows -> Result
}
