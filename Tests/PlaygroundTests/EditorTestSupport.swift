@testable import Playground

extension PromptEditor {
    /// An editor holding `marked` without its "|", the cursor where the "|" was (split by code
    /// point, so "|" may stand before a combining mark).
    init(marked: String) {
        let scalars = marked.unicodeScalars
        let bar = scalars.firstIndex(of: "|") ?? scalars.endIndex
        let before = String(scalars[..<bar])
        let after = bar < scalars.endIndex ? String(scalars[scalars.index(after: bar)...]) : ""
        self.init(text: before + after)
        perform(.moveToStart)
        for _ in 0..<before.count { perform(.moveRight) }
    }

    /// The text with "|" at the cursor.
    var marked: String {
        String(storage.characters[..<cursor]) + "|" + String(storage.characters[cursor...])
    }

    /// Performs each command in turn.
    mutating func perform(_ commands: [EditorCommand]) {
        for command in commands { perform(command) }
    }

    /// Types `text` one character at a time, as keys arrive.
    mutating func type(_ text: String) {
        for character in text { perform(.type(character)) }
    }
}

/// The visual lines of `text` at `width`, as strings.
func wrappedLines(_ text: String, width: Int) -> [String] {
    let editor = PromptEditor(text: text)
    return editor.layout(width: width).lines.map { String(editor.storage.characters[$0.range]) }
}

/// A small seeded generator (SplitMix64), so random tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Screen {
    /// Where the terminal cursor is, as a point, for comparing in expectations.
    var cursorPoint: EditorPoint? {
        cursor.map { EditorPoint(row: $0.row, column: $0.column) }
    }
}
