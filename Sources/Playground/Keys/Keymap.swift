import Foundation

/// Which keys do what: the default table, changed by the user's `keys.json`, and checked so no
/// key means two things at once. A key bound in a context (prompt, parameters, …) may not also
/// be bound everywhere, so what a key does never depends on which binding was found first.
public struct Keymap: Equatable, Sendable {
    public private(set) var keys: [Action: [KeyPress]]

    public static let standard = Keymap(uncheckedKeys: defaultKeys)

    private init(uncheckedKeys: [Action: [KeyPress]]) {
        keys = uncheckedKeys
    }

    /// The default table with `overrides` (action → its new keys) applied; throws on a conflict.
    public init(overrides: [Action: [KeyPress]] = [:]) throws(KeymapError) {
        var keys = Self.defaultKeys
        for (action, bound) in overrides { keys[action] = bound }
        self.init(uncheckedKeys: keys)
        try check()
    }

    /// Reads `keys.json`: `{"run": ["ctrl+r", "f5"], "quit": "ctrl+q"}`. A missing file is the
    /// default table.
    public static func load(from url: URL) throws(KeymapError) -> Keymap {
        guard FileManager.default.fileExists(atPath: url.path) else { return standard }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(file: url.path, reason: "\(error.localizedDescription)") }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .unreadable(file: url.path, reason: "not valid JSON")
        }
        guard let fields = object as? [String: Any] else { throw .unreadable(file: url.path, reason: "must be a JSON object of action names") }
        var overrides: [Action: [KeyPress]] = [:]
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            guard let action = Action(rawValue: name) else {
                throw .unreadable(file: url.path, reason: "\"\(name)\" is not an action (see the help overlay for names)")
            }
            let names: [String]
            if let one = value as? String { names = [one] } else if let many = value as? [String] { names = many } else {
                throw .unreadable(file: url.path, reason: "\"\(name)\" must be a key name or a list of key names")
            }
            overrides[action] = try names.map { (keyName: String) throws(KeymapError) -> KeyPress in
                guard let key = KeyPress(name: keyName) else {
                    throw .unreadable(file: url.path, reason: "\"\(keyName)\" (for \(name)) is not a key name")
                }
                return key
            }
        }
        do { return try Keymap(overrides: overrides) } catch let error {
            if case .conflict(let key, let first, let second, _) = error { throw .conflict(key: key, first: first, second: second, file: url.path) }
            throw error
        }
    }

    /// The action `key` triggers when `context` has the focus, if any.
    public func action(for key: KeyPress, in context: KeyContext) -> Action? {
        let candidates = byKey[key] ?? []
        return candidates.first { $0.context == context } ?? candidates.first { $0.context == .global }
    }

    /// The keys of an action, as the help overlay and key hints write them.
    public func keyNames(_ action: Action) -> String {
        (keys[action] ?? []).map(\.description).joined(separator: " ")
    }

    private var byKey: [KeyPress: [Action]] {
        var table: [KeyPress: [Action]] = [:]
        for action in Action.allCases { for key in keys[action] ?? [] { table[key, default: []].append(action) } }
        return table
    }

    private func check() throws(KeymapError) {
        var seen: [KeyPress: Action] = [:]
        var global: [KeyPress: Action] = [:]
        for action in Action.allCases where action.context == .global {
            for key in keys[action] ?? [] {
                if let other = global[key] { throw .conflict(key: key.description, first: other.rawValue, second: action.rawValue, file: nil) }
                global[key] = action
            }
        }
        for context in KeyContext.allCases where context != .global {
            seen = [:]
            for action in Action.allCases where action.context == context {
                for key in keys[action] ?? [] {
                    if let other = seen[key] ?? global[key] {
                        throw .conflict(key: key.description, first: other.rawValue, second: action.rawValue, file: nil)
                    }
                    seen[key] = action
                }
            }
        }
    }

    private static let defaultKeys: [Action: [KeyPress]] = {
        let names: [Action: [String]] = [
            .run: ["ctrl+r", "f5"], .stop: ["esc"], .continueRun: ["ctrl+n"], .quit: ["ctrl+q", "ctrl+c"],
            .help: ["f1", "?"], .focusNext: ["tab"], .focusPrevious: ["shift+tab"],
            .toggleAutoRerun: ["f2"], .togglePromptEcho: ["f3"], .toggleTokenInsight: ["f4"],
            .nextTheme: ["ctrl+t"], .openHistory: ["f7", "alt+h"], .copyRequest: ["alt+j"], .copyCurl: ["alt+c"],
            .nextPreset: ["alt+p"], .savePreset: ["alt+s"], .downloadModel: ["f8"],
            .cursorLeft: ["left", "ctrl+b"], .cursorRight: ["right", "ctrl+f"], .cursorUp: ["up"], .cursorDown: ["down"],
            .wordLeft: ["alt+b", "ctrl+left"], .wordRight: ["alt+f", "ctrl+right"],
            .lineStart: ["ctrl+a", "home"], .lineEnd: ["ctrl+e", "end"],
            .documentStart: ["ctrl+home", "alt+<"], .documentEnd: ["ctrl+end", "alt+>"],
            .deleteBackward: ["backspace"], .deleteForward: ["delete", "ctrl+d"],
            .deleteWordBackward: ["ctrl+w", "alt+backspace"], .deleteWordForward: ["alt+d"],
            .killToLineEnd: ["ctrl+k"], .killToLineStart: ["ctrl+u"], .yank: ["ctrl+y"], .yankPop: ["alt+y"],
            .promptPageUp: ["pageup"], .promptPageDown: ["pagedown"],
            .undo: ["ctrl+z", "ctrl+_"], .redo: ["alt+z", "alt+_"], .newline: ["enter"], .openEditor: ["ctrl+o"],
            .previousPrompt: ["ctrl+up", "ctrl+p"], .nextPrompt: ["ctrl+down"],
            .fieldPrevious: ["up", "k"], .fieldNext: ["down", "j"],
            .increase: ["right", "l", "plus"], .decrease: ["left", "h", "-"],
            .increaseCoarse: ["shift+right", "pageup"], .decreaseCoarse: ["shift+left", "pagedown"],
            .typeValue: ["enter", "="], .resetField: ["r", "delete"], .resetAll: ["R"], .nextMode: ["m", "space"],
            .columnLeft: ["left", "h"], .columnRight: ["right", "l"], .scrollUp: ["up", "k"], .scrollDown: ["down", "j"],
            .pageUp: ["pageup", "b"], .pageDown: ["pagedown", "space"], .scrollTop: ["home", "g"],
            .scrollBottom: ["end", "G"], .toggleScrollTogether: ["a"], .copyColumn: ["c", "y"],
            .saveColumn: ["s"], .promoteColumn: ["p", "enter"], .tokenLeft: ["["], .tokenRight: ["]"],
            .historyUp: ["up"], .historyDown: ["down"], .historyRestore: ["enter"],
            .historyRerun: ["ctrl+e"], .historyStar: ["ctrl+s"], .historyTag: ["ctrl+g"],
            .historyDelete: ["ctrl+d", "delete"], .historyExport: ["ctrl+x"], .historySearch: ["ctrl+f"],
        ]
        var keys: [Action: [KeyPress]] = [:]
        for (action, list) in names { keys[action] = list.compactMap { KeyPress(name: $0) } }
        return keys
    }()
}

/// Why the key table cannot be used.
public enum KeymapError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case conflict(key: String, first: String, second: String, file: String?)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): return "\(file): \(reason)"
        case let .conflict(key, first, second, file):
            return "\(file.map { "\($0): " } ?? "")key \(key) is bound to both \(first) and \(second)"
        }
    }
}
