/// What the editor needs to know of one character, worked out once when the character enters
/// the text, so layout and motions over a long prompt scan bytes instead of measuring
/// grapheme clusters again on every keystroke.
struct CharacterClass: Equatable, Sendable {
    private let bits: UInt8

    private static let widthMask: UInt8 = 0x07
    private static let newline: UInt8 = 0x08
    private static let whitespace: UInt8 = 0x10
    private static let wrapSpace: UInt8 = 0x20
    private static let word: UInt8 = 0x40

    init(_ character: Character) {
        var bits = UInt8(min(TextWidth.width(of: character), Int(Self.widthMask)))
        if character == "\n" {
            bits = Self.newline | Self.whitespace
        } else if character.isWhitespace {
            bits |= Self.whitespace
            if !Self.noBreakSpaces.contains(character) { bits |= Self.wrapSpace }
        } else if character.isLetter || character.isNumber {
            bits |= Self.word
        }
        self.bits = bits
    }

    /// Cells the character takes on screen (a newline takes none: it ends the line).
    var width: Int { Int(bits & Self.widthMask) }
    var isNewline: Bool { bits & Self.newline != 0 }
    /// Any white space, newline included: what Ctrl-W stops at.
    var isWhitespace: Bool { bits & Self.whitespace != 0 }
    /// A space or tab a line may wrap after (not a newline, not a no-break space).
    var isWrapOpportunity: Bool { bits & Self.wrapSpace != 0 }
    /// A letter or digit: what readline's word motions treat as part of a word.
    var isWordCharacter: Bool { bits & Self.word != 0 }

    private static let noBreakSpaces: Set<Character> = ["\u{00A0}", "\u{2007}", "\u{202F}"]
}
