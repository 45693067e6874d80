/// How many colours the terminal can draw, from none to exact red-green-blue.
public enum ColorDepth: Int, Comparable, CaseIterable, Sendable, CustomStringConvertible {
    /// Attributes only (bold, dim, reverse…): `NO_COLOR`, or a terminal without colours.
    case none
    case ansi8
    case ansi16
    case palette256
    /// Any red-green-blue colour (a terminal with a direct-colour terminfo entry).
    case trueColor

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .none: return "no colours"
        case .ansi8: return "8 colours"
        case .ansi16: return "16 colours"
        case .palette256: return "256 colours"
        case .trueColor: return "truecolor"
        }
    }

    /// The depth to draw with, from what the terminal reports: its number of colours and whether
    /// its terminfo entry takes direct red-green-blue colours. A non-empty `NO_COLOR` turns
    /// colours off whatever the terminal can do (no-color.org).
    public static func detect(colorCount: Int, directColor: Bool, environment: [String: String]) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        if directColor || colorCount >= 1 << 24 { return .trueColor }
        switch colorCount {
        case 256...: return .palette256
        case 16...: return .ansi16
        case 8...: return .ansi8
        default: return .none
        }
    }

    /// The terminfo entry to try for truecolor when `COLORTERM` says the terminal draws it
    /// ("truecolor" or "24bit") but `TERM` names an entry without direct colour:
    /// "xterm-256color" → "xterm-direct", "tmux-256color" → "tmux-direct". Nil when there is
    /// nothing to try.
    public static func directColorTerminalType(environment: [String: String]) -> String? {
        guard let colorTerm = environment["COLORTERM"]?.lowercased(), colorTerm == "truecolor" || colorTerm == "24bit",
              let term = environment["TERM"], !term.isEmpty, !term.contains("direct")
        else { return nil }
        let family = term.split(separator: "-", maxSplits: 1).first.map(String.init) ?? term
        return family + "-direct"
    }
}

extension TerminalColor {
    /// The colour as a terminal of `depth` can draw it: exact colours become the nearest of the
    /// 256-colour palette or the ANSI colour of their hue, the bright ANSI colours their plain twins on
    /// 8-colour terminals, and every colour the default one when there are no colours.
    public func downgraded(to depth: ColorDepth) -> TerminalColor {
        switch (self, depth) {
        case (.default, _), (_, .trueColor):
            return self
        case (_, .none):
            return .default
        case (.palette(let index), .palette256):
            return .palette(index)
        case (.rgb(let red, let green, let blue), .palette256):
            return .palette(XtermPalette.nearest256(to: (Int(red), Int(green), Int(blue))))
        case (.palette(let index), .ansi16) where index < 16:
            return self
        case (.palette(let index), .ansi8) where index < 16:
            return .palette(index % 8)
        case (_, .ansi16), (_, .ansi8):
            guard let value = rgbValue else { return .default }
            return .palette(XtermPalette.ansi(for: value, count: depth == .ansi16 ? 16 : 8))
        }
    }

    /// True for a grey between black and white: what 8 colours cannot show.
    var isMiddleGrey: Bool {
        guard let (red, green, blue) = rgbValue else { return false }
        let lightness = (red + green + blue) / 3
        return max(red, green, blue) - min(red, green, blue) <= 32 && (48...200).contains(lightness)
    }
}
