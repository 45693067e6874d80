/// How terminals encode keys: control characters, the xterm modifier parameter, and the
/// numbered keys of `CSI n ~` sequences.
enum TerminalKeys {
    static let escape: Unicode.Scalar = "\u{1B}"

    /// The key a single character stands for when typed: control characters are Ctrl plus a
    /// key (Ctrl-A is 1), Enter (CR), Tab, Backspace (DEL, and ^H as most terminals send for
    /// it); nil for characters that are no key (C1 controls).
    static func key(for scalar: Unicode.Scalar) -> KeyPress? {
        switch scalar.value {
        case 0: return KeyPress(.character(" "), [.control])
        case 8, 0x7F: return KeyPress(.backspace)
        case 9: return KeyPress(.tab)
        case 13: return KeyPress(.enter)
        case 0x1B: return KeyPress(.escape)
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(0x60 + scalar.value))))
        case 28: return .ctrl("\\")
        case 29: return .ctrl("]")
        case 30: return .ctrl("^")
        case 31: return .ctrl("_")
        case 0x80...0x9F: return nil
        default: return KeyPress(.character(Character(scalar)))
        }
    }

    /// `key` with `modifiers` added, in the form `KeyPress` names keys: a letter with Shift alone
    /// is its capital; with Ctrl or Alt, the letter is lower-case and Shift stays.
    static func adding(_ modifiers: KeyPress.Modifiers, to key: KeyPress) -> KeyPress {
        var result = key
        result.modifiers.formUnion(modifiers)
        guard case .character(let c) = result.key, c.isLetter else { return result }
        if result.modifiers.isDisjoint(with: [.control, .alt]) {
            if result.modifiers.contains(.shift) {
                result.key = .character(Character(c.uppercased()))
                result.modifiers.remove(.shift)
            }
        } else if c.isUppercase {
            result.key = .character(Character(c.lowercased()))
            result.modifiers.insert(.shift)
        }
        return result
    }

    /// The modifiers of xterm's modifier parameter: 1 + (1 Shift, 2 Alt, 4 Ctrl, 8 Meta as Alt).
    static func modifiers(parameter: Int) -> KeyPress.Modifiers {
        let bits = max(0, parameter - 1)
        var modifiers: KeyPress.Modifiers = []
        if bits & 1 != 0 { modifiers.insert(.shift) }
        if bits & (2 | 8) != 0 { modifiers.insert(.alt) }
        if bits & 4 != 0 { modifiers.insert(.control) }
        return modifiers
    }

    /// The key of `CSI n ~` (vt220 style) for `n`.
    static func tildeKey(_ n: Int) -> KeyPress.Key? {
        switch n {
        case 1, 7: return .home
        case 2: return .insert
        case 3: return .delete
        case 4, 8: return .end
        case 5: return .pageUp
        case 6: return .pageDown
        case 11...15: return .function(n - 10)
        case 17...21: return .function(n - 11)
        case 23, 24: return .function(n - 12)
        default: return nil
        }
    }

    /// The key a final character of `CSI` or `SS3` names: arrows, Home, End, F1–F4.
    static func letterKey(_ final: Unicode.Scalar) -> KeyPress.Key? {
        switch final {
        case "A": return .up
        case "B": return .down
        case "C": return .right
        case "D": return .left
        case "H": return .home
        case "F": return .end
        case "P": return .function(1)
        case "Q": return .function(2)
        case "R": return .function(3)
        case "S": return .function(4)
        default: return nil
        }
    }

    /// The key of a Unicode code point as `CSI code ; modifiers u` (and xterm's
    /// `CSI 27 ; modifiers ; code ~`) report it.
    static func codePointKey(_ code: Int) -> KeyPress? {
        switch code {
        case 9: return KeyPress(.tab)
        case 13: return KeyPress(.enter)
        case 27: return KeyPress(.escape)
        case 8, 127: return KeyPress(.backspace)
        default:
            guard code >= 32, let scalar = Unicode.Scalar(code) else { return nil }
            return KeyPress(.character(Character(scalar)))
        }
    }
}
