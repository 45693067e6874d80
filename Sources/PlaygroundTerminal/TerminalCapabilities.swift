import Playground

/// What the terminal in use can do, as the backend set it up.
public struct TerminalCapabilities: Equatable, Sendable {
    /// The terminfo entry in use (`$TERM`, or its direct-colour variant).
    public var terminalType: String
    /// The colours drawn: the terminal's, lowered by `NO_COLOR` or the options.
    public var colorDepth: ColorDepth
    /// Colours and colour pairs the terminal has.
    public var colorCount: Int
    public var colorPairCount: Int
    /// Whether the terminfo entry takes colours as red-green-blue values (xterm-direct).
    public var directColor: Bool
    /// Whether the terminal draws its own default colours (so themes can use "default").
    public var defaultColors: Bool
    /// Whether mouse reports were asked for (the terminal has a mouse entry and the options
    /// allow it).
    public var mouse: Bool
    /// Whether the locale's character set is UTF-8, so any character can be drawn.
    public var unicode: Bool
}
