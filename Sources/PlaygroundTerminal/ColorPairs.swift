import Playground

/// How the terminal draws a theme: each style slot's style at the colour depth in use, and the
/// colour pair that holds its colours. Slots with the same colours share a pair; pairs are
/// numbered from 1 in slot order (pair 0 is the terminal's default colours, used as well when
/// the terminal has fewer pairs than needed, or no colours at all).
struct ColorPairs: Equatable {
    /// A pair's colours as curses numbers them: -1 is the terminal's default colour.
    struct Pair: Hashable {
        var foreground: Int32
        var background: Int32
    }

    /// The pairs to define: `pairs[i]` is pair number i + 1.
    private(set) var pairs: [Pair] = []
    private(set) var looks: [StyleSlot: (style: TextStyle, pair: Int32)] = [:]

    /// - Parameters:
    ///   - pairLimit: how many pairs the terminal has (pair 0 included).
    ///   - directColor: colours are numbered as direct red-green-blue values (a terminfo entry
    ///     such as xterm-direct), where only 0–7 are palette colours.
    ///   - defaultColors: the terminal can draw its own default colours (curses'
    ///     `use_default_colors`); without them, white on black stands in.
    init(theme: Theme, depth: ColorDepth, pairLimit: Int, directColor: Bool, defaultColors: Bool) {
        let normal = theme[.normal]
        var numbers: [Pair: Int32] = [Pair(foreground: -1, background: -1): 0]
        for slot in StyleSlot.allCases {
            let style = theme[slot].downgraded(to: depth, normal: normal)
            var pairNumber: Int32 = 0
            if depth != .none {
                let pair = Pair(
                    foreground: Self.number(of: style.foreground, directColor: directColor, defaultColors: defaultColors, defaultNumber: 7),
                    background: Self.number(of: style.background, directColor: directColor, defaultColors: defaultColors, defaultNumber: 0))
                if let known = numbers[pair] {
                    pairNumber = known
                } else if pairs.count + 1 < pairLimit {
                    pairs.append(pair)
                    pairNumber = Int32(pairs.count)
                    numbers[pair] = pairNumber
                }
            }
            looks[slot] = (style, pairNumber)
        }
    }

    /// The pairs of `theme` on a terminal that can do what `capabilities` say.
    init(theme: Theme, capabilities: TerminalCapabilities) {
        self.init(
            theme: theme, depth: capabilities.colorDepth, pairLimit: capabilities.colorPairCount,
            directColor: capabilities.directColor, defaultColors: capabilities.defaultColors)
    }

    subscript(slot: StyleSlot) -> (style: TextStyle, pair: Int32) {
        looks[slot] ?? (TextStyle(), 0)
    }

    /// The curses number of a colour already brought to the depth in use.
    static func number(of color: TerminalColor, directColor: Bool, defaultColors: Bool, defaultNumber: Int32) -> Int32 {
        switch color {
        case .default:
            return defaultColors ? -1 : defaultNumber
        case .palette(let index):
            guard directColor, index >= 8 else { return Int32(index) }
            let (red, green, blue) = XtermPalette.rgb(of: Int(index))
            return direct(red: red, green: green, blue: blue)
        case .rgb(let red, let green, let blue):
            guard directColor else { return Int32(XtermPalette.nearest256(to: (Int(red), Int(green), Int(blue)))) }
            return direct(red: Int(red), green: Int(green), blue: Int(blue))
        }
    }

    /// A direct colour value. Values below 8 name palette colours in direct-colour entries, so
    /// the darkest blues (black among them) are drawn as #000008, a black that is no palette
    /// colour.
    private static func direct(red: Int, green: Int, blue: Int) -> Int32 {
        max(8, Int32(red << 16 | green << 8 | blue))
    }

    static func == (a: ColorPairs, b: ColorPairs) -> Bool {
        a.pairs == b.pairs && StyleSlot.allCases.allSatisfy { a[$0].style == b[$0].style && a[$0].pair == b[$0].pair }
    }
}
