/// The keys curses recognises itself, by the names `keyname` gives their codes: "KEY_UP",
/// "KEY_SLEFT" (Shift-Left), "KEY_F(13)" (Shift-F1 on xterm), and the extended ones terminfo
/// names, where a digit is xterm's modifier parameter: "kUP5" is Ctrl-Up, "kLFT3" Alt-Left.
enum CursesKeyName {
    static func key(named name: String) -> KeyPress? {
        if let key = plain[name] { return KeyPress(key) }
        if let key = shifted[name] { return KeyPress(key, [.shift]) }
        if name.hasPrefix("KEY_F("), name.hasSuffix(")"), let n = Int(name.dropFirst(6).dropLast()), n >= 1 {
            // xterm numbers F13–F24 Shift-F1…F12, then Ctrl, Ctrl-Shift, Alt, Alt-Shift.
            let groups: [KeyPress.Modifiers] = [[], [.shift], [.control], [.control, .shift], [.alt], [.alt, .shift]]
            let group = (n - 1) / 12
            guard group < groups.count else { return nil }
            return KeyPress(.function((n - 1) % 12 + 1), groups[group])
        }
        return extended(name)
    }

    private static let plain: [String: KeyPress.Key] = [
        "KEY_UP": .up, "KEY_DOWN": .down, "KEY_LEFT": .left, "KEY_RIGHT": .right,
        "KEY_HOME": .home, "KEY_END": .end, "KEY_PPAGE": .pageUp, "KEY_NPAGE": .pageDown,
        "KEY_IC": .insert, "KEY_DC": .delete, "KEY_BACKSPACE": .backspace, "KEY_ENTER": .enter,
        // The keypad's corners, as some terminals send them.
        "KEY_A1": .home, "KEY_A3": .pageUp, "KEY_C1": .end, "KEY_C3": .pageDown,
    ]

    private static let shifted: [String: KeyPress.Key] = [
        "KEY_SR": .up, "KEY_SF": .down, "KEY_SLEFT": .left, "KEY_SRIGHT": .right,
        "KEY_SHOME": .home, "KEY_SEND": .end, "KEY_SPREVIOUS": .pageUp, "KEY_SNEXT": .pageDown,
        "KEY_SIC": .insert, "KEY_SDC": .delete, "KEY_BTAB": .tab,
    ]

    private static let extendedStems: [String: KeyPress.Key] = [
        "kUP": .up, "kDN": .down, "kLFT": .left, "kRIT": .right, "kHOM": .home, "kEND": .end,
        "kPRV": .pageUp, "kNXT": .pageDown, "kIC": .insert, "kDC": .delete,
    ]

    /// "kUP5" → Ctrl-Up; a stem without digit ("kUP") is the shifted key.
    private static func extended(_ name: String) -> KeyPress? {
        let stem = String(name.prefix { !$0.isNumber })
        guard let key = extendedStems[stem] else { return nil }
        let digits = name.dropFirst(stem.count)
        if digits.isEmpty { return KeyPress(key, [.shift]) }
        guard let parameter = Int(digits), (2...8).contains(parameter) else { return nil }
        return KeyPress(key, TerminalKeys.modifiers(parameter: parameter))
    }
}
