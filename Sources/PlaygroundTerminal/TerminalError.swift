/// Why the terminal could not be set up, in one line that says what to do.
public enum TerminalError: Error, Equatable, Sendable, CustomStringConvertible {
    case noTerminal(device: String, reason: String)
    case noTerminalType
    case unknownTerminalType(String)
    case alreadyActive
    case setupFailed(String)

    public var description: String {
        switch self {
        case .noTerminal(let device, let reason):
            return "cannot open the terminal \(device): \(reason) (the playground needs a terminal; `gpt2-tui generate` works without one)"
        case .noTerminalType:
            return "TERM is not set: set it to your terminal's type, for example TERM=xterm-256color"
        case .unknownTerminalType(let type):
            return "unknown terminal type \"\(type)\": set TERM to a type the terminfo database knows, for example xterm-256color"
        case .alreadyActive:
            return "the terminal is already in use by this program"
        case .setupFailed(let reason):
            return "cannot set up the terminal: \(reason)"
        }
    }
}
