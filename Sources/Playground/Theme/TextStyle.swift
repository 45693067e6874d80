/// How a style slot looks: colours and attributes.
public struct TextStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var dim: Bool
    public var italic: Bool
    public var underline: Bool
    public var reverse: Bool

    public init(
        foreground: TerminalColor = .default, background: TerminalColor = .default,
        bold: Bool = false, dim: Bool = false, italic: Bool = false, underline: Bool = false, reverse: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.italic = italic
        self.underline = underline
        self.reverse = reverse
    }

    /// Takes `normal`'s colours in place of the terminal's default ones.
    mutating func inheritDefaultColors(from normal: TextStyle) {
        if foreground == .default { foreground = normal.foreground }
        if background == .default { background = normal.background }
    }

    /// The style as a terminal of `depth` can draw it, keeping it apart from `normal` (the
    /// theme's plain text style) where colours are lost:
    /// - on 8 colours or none, a middle grey text colour (which 8 colours lack) becomes the
    ///   normal text colour, dimmed;
    /// - without colours, a style set apart by its background (a status bar, a selection) is
    ///   drawn in reverse video instead.
    public func downgraded(to depth: ColorDepth, normal: TextStyle) -> TextStyle {
        var style = self
        switch depth {
        case .none:
            style.foreground = .default
            style.background = .default
            if foreground.isMiddleGrey { style.dim = true }
            if background != .default, background != normal.background { style.reverse.toggle() }
        case .ansi8 where foreground.isMiddleGrey:
            style.foreground = normal.foreground.isMiddleGrey ? .default : normal.foreground.downgraded(to: depth)
            style.background = background.downgraded(to: depth)
            style.dim = true
        default:
            style.foreground = foreground.downgraded(to: depth)
            style.background = background.downgraded(to: depth)
        }
        return style
    }
}
