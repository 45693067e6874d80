/// xterm's 256-colour palette as it is drawn by default, and the nearest colour of it to any
/// red-green-blue colour: how themes written in exact colours are shown on terminals with 256,
/// 16 or 8 colours.
public enum XtermPalette {
    /// xterm's default values of the 16 ANSI colours (terminals differ a little; these are the
    /// usual reference).
    static let ansi: [(red: Int, green: Int, blue: Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The six levels of each channel in the 6×6×6 colour cube (colours 16–231).
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    /// The red-green-blue value of palette colour `index` (0–255).
    public static func rgb(of index: Int) -> (red: Int, green: Int, blue: Int) {
        switch index {
        case ..<0:
            return ansi[0]
        case 0..<16:
            return ansi[index]
        case 16..<232:
            let cube = index - 16
            return (cubeLevels[cube / 36], cubeLevels[(cube / 6) % 6], cubeLevels[cube % 6])
        default:
            let level = 8 + 10 * (min(index, 255) - 232)
            return (level, level, level)
        }
    }

    /// The colour of the cube (16–231) or the grey ramp (232–255) nearest to `color`. The 16
    /// ANSI colours are left out: each terminal has its own values for them.
    public static func nearest256(to color: (red: Int, green: Int, blue: Int)) -> UInt8 {
        let levels = [color.red, color.green, color.blue].map(nearestCubeLevel)
        let cubeIndex = 16 + 36 * levels[0] + 6 * levels[1] + levels[2]
        let average = (color.red + color.green + color.blue) / 3
        let greyIndex = 232 + min(23, max(0, (average - 3) / 10))
        return distance(rgb(of: greyIndex), color) < distance(rgb(of: cubeIndex), color) ? UInt8(greyIndex) : UInt8(cubeIndex)
    }

    /// The ANSI colour (0 up to `count` - 1, `count` 8 or 16) that stands for `color`. Nearest by
    /// distance would turn most light colours into grey, so the choice keeps the hue instead:
    /// greys go by lightness (black, bright-black, white, bright-white), other colours to the
    /// ANSI colour of the nearest of the six hues, its bright twin when light or vivid and 16
    /// colours are there.
    public static func ansi(for color: (red: Int, green: Int, blue: Int), count: Int) -> UInt8 {
        let high = max(color.red, color.green, color.blue), low = min(color.red, color.green, color.blue)
        let lightness = Double(high + low) / 510
        if high - low <= 32 || lightness < 0.12 {
            if count < 16 { return lightness < 0.5 ? 0 : 7 }
            switch lightness {
            case ..<0.2: return 0
            case ..<0.55: return 8
            case ..<0.85: return 7
            default: return 15
            }
        }
        // Hue in sixths of the colour wheel: 0 red, 1 yellow, 2 green, 3 cyan, 4 blue, 5 magenta.
        let chroma = Double(high - low)
        let r = Double(color.red), g = Double(color.green), b = Double(color.blue)
        var sixths: Double
        if high == color.red {
            sixths = (g - b) / chroma
        } else if high == color.green {
            sixths = (b - r) / chroma + 2
        } else {
            sixths = (r - g) / chroma + 4
        }
        if sixths < 0 { sixths += 6 }
        let hueToANSI: [UInt8] = [1, 3, 2, 6, 4, 5]
        let plain = hueToANSI[Int(sixths.rounded()) % 6]
        return count >= 16 && (lightness > 0.6 || high >= 230) ? plain + 8 : plain
    }

    /// Squared distance between two colours, red-weighted as the "redmean" approximation of how
    /// far apart people see them.
    static func distance(_ a: (red: Int, green: Int, blue: Int), _ b: (red: Int, green: Int, blue: Int)) -> Int {
        let meanRed = (a.red + b.red) / 2
        let dr = a.red - b.red, dg = a.green - b.green, db = a.blue - b.blue
        return ((512 + meanRed) * dr * dr >> 8) + 4 * dg * dg + ((767 - meanRed) * db * db >> 8)
    }

    private static func nearestCubeLevel(_ value: Int) -> Int {
        var best = 0
        for (index, level) in cubeLevels.enumerated() where abs(level - value) < abs(cubeLevels[best] - value) {
            best = index
        }
        return best
    }
}
