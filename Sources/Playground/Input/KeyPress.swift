/// One key as the user pressed it: the key and the modifiers held. Ctrl-A is
/// `KeyPress(.character("a"), [.control])`; a shifted letter is just its capital.
public struct KeyPress: Hashable, Sendable, CustomStringConvertible {
    public enum Key: Hashable, Sendable {
        case character(Character)
        case enter, tab, backspace, delete, escape, insert
        case up, down, left, right, home, end, pageUp, pageDown
        case function(Int)
    }

    public struct Modifiers: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let control = Modifiers(rawValue: 1)
        public static let alt = Modifiers(rawValue: 2)
        public static let shift = Modifiers(rawValue: 4)
    }

    public var key: Key
    public var modifiers: Modifiers

    public init(_ key: Key, _ modifiers: Modifiers = []) {
        self.key = key
        self.modifiers = modifiers
    }

    public static func ctrl(_ c: Character) -> KeyPress { KeyPress(.character(c), [.control]) }
    public static func alt(_ c: Character) -> KeyPress { KeyPress(.character(c), [.alt]) }
    public static func char(_ c: Character) -> KeyPress { KeyPress(.character(c)) }

    /// A printable character typed without control or alt: text to insert.
    public var typedCharacter: Character? {
        guard case .character(let c) = key, modifiers.subtracting(.shift).isEmpty else { return nil }
        return c
    }

    private static let names: [(Key, String)] = [
        (.enter, "enter"), (.tab, "tab"), (.backspace, "backspace"), (.delete, "delete"),
        (.escape, "esc"), (.insert, "insert"), (.up, "up"), (.down, "down"), (.left, "left"),
        (.right, "right"), (.home, "home"), (.end, "end"), (.pageUp, "pageup"), (.pageDown, "pagedown"),
        (.character(" "), "space"), (.character("+"), "plus"),
    ]

    /// The key's name as key files and the help overlay write it: "ctrl+r", "alt+b", "f5",
    /// "shift+tab", "ctrl+up", "?".
    public var description: String {
        var parts: [String] = []
        if modifiers.contains(.control) { parts.append("ctrl") }
        if modifiers.contains(.alt) { parts.append("alt") }
        if modifiers.contains(.shift) { parts.append("shift") }
        if let name = Self.names.first(where: { $0.0 == key })?.1 {
            parts.append(name)
        } else if case .function(let n) = key {
            parts.append("f\(n)")
        } else if case .character(let c) = key {
            parts.append(String(c))
        }
        return parts.joined(separator: "+")
    }

    /// Reads a key name ("ctrl+r", "Alt+B", "f5", "shift+tab", "?"); nil when it names no key.
    public init?(name: String) {
        var parts = name.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        // "ctrl++" names ctrl and the plus key.
        if name.hasSuffix("++") { parts.removeLast(2); parts.append("plus") }
        guard let last = parts.popLast(), !last.isEmpty else { return nil }
        var modifiers: Modifiers = []
        for part in parts {
            switch part.lowercased() {
            case "ctrl", "control", "c": modifiers.insert(.control)
            case "alt", "meta", "m": modifiers.insert(.alt)
            case "shift", "s": modifiers.insert(.shift)
            default: return nil
            }
        }
        let lower = last.lowercased()
        if let known = Self.names.first(where: { $0.1 == lower }) {
            self.init(known.0, modifiers)
        } else if lower.count >= 2, lower.first == "f", let n = Int(lower.dropFirst()), (1...24).contains(n) {
            self.init(.function(n), modifiers)
        } else if last.count == 1, let c = last.first {
            // Control and alt letters are case-insensitive in terminals: store them lower-case.
            let letter = modifiers.isDisjoint(with: [.control, .alt]) ? c : Character(c.lowercased())
            self.init(.character(letter), modifiers)
        } else {
            return nil
        }
    }
}

/// A mouse action at a cell.
public struct MouseEvent: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        case press, release, drag, scrollUp, scrollDown
    }

    public var action: Action
    public var row: Int
    public var column: Int

    public init(_ action: Action, row: Int, column: Int) {
        self.action = action
        self.row = row
        self.column = column
    }
}

/// What the terminal reports: a key, a bracketed paste (one piece of text), a mouse action, or
/// a new size.
public enum InputEvent: Hashable, Sendable {
    case key(KeyPress)
    case paste(String)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
}
