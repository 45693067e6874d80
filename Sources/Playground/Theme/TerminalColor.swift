/// A colour as themes write it: the terminal's default colour, one of the 256 colours of the
/// xterm palette (0–15 are the ANSI colours, which each terminal draws from its own palette), or
/// an exact red-green-blue colour for terminals that can draw it.
public enum TerminalColor: Hashable, Sendable, CustomStringConvertible {
    case `default`
    case palette(UInt8)
    case rgb(red: UInt8, green: UInt8, blue: UInt8)

    /// The names of the ANSI colours 0–7; "bright-" + name are 8–15.
    public static let ansiNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// An exact colour written as one number: `.hex(0x5fafff)`.
    public static func hex(_ value: UInt32) -> TerminalColor {
        .rgb(red: UInt8((value >> 16) & 0xFF), green: UInt8((value >> 8) & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// Reads a colour as theme files write it: "default", "#rrggbb", an ANSI name ("red",
    /// "bright-blue"; "grey" and "gray" are bright-black). Nil when the text is none of these.
    public init?(themeText text: String) {
        let lower = text.lowercased()
        if lower == "default" {
            self = .default
        } else if lower.hasPrefix("#") {
            let hex = lower.dropFirst()
            guard hex.count == 6, hex.allSatisfy(\.isHexDigit), let value = UInt32(hex, radix: 16) else { return nil }
            self = .hex(value)
        } else if lower == "grey" || lower == "gray" {
            self = .palette(8)
        } else if let index = Self.ansiNames.firstIndex(of: lower) {
            self = .palette(UInt8(index))
        } else if lower.hasPrefix("bright-"), let index = Self.ansiNames.firstIndex(of: String(lower.dropFirst(7))) {
            self = .palette(UInt8(index + 8))
        } else {
            return nil
        }
    }

    /// How theme files write the colour.
    public var description: String {
        switch self {
        case .default:
            return "default"
        case .palette(let index) where index < 8:
            return Self.ansiNames[Int(index)]
        case .palette(let index) where index < 16:
            return "bright-" + Self.ansiNames[Int(index) - 8]
        case .palette(let index):
            return String(index)
        case .rgb(let red, let green, let blue):
            return "#" + [red, green, blue].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    /// The colour's red-green-blue value as xterm draws it by default, or nil for the
    /// terminal's default colour.
    public var rgbValue: (red: Int, green: Int, blue: Int)? {
        switch self {
        case .default: return nil
        case .palette(let index): return XtermPalette.rgb(of: Int(index))
        case .rgb(let red, let green, let blue): return (Int(red), Int(green), Int(blue))
        }
    }
}
