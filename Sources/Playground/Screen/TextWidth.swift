/// How many terminal cells text takes, by the rules terminals follow (wcwidth): wide East Asian
/// characters and emoji take two cells, combining marks and other zero-width code points none,
/// everything else one. Control characters are never drawn raw: they are shown by a visible
/// stand-in of known width (`visibleForm`).
public enum TextWidth {
    /// Cells a tab stands for when drawn.
    public static let tabWidth = 4

    /// Cells one character (an extended grapheme cluster) takes once drawn.
    public static func width(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first == "\t" { return tabWidth }
        if isControl(first) { return 1 }
        // An emoji presentation selector turns a text-style symbol into a two-cell emoji.
        if scalars.count > 1, scalars.contains("\u{FE0F}"), first.properties.isEmoji { return 2 }
        var width = 0
        for scalar in scalars {
            width = max(width, self.width(of: scalar))
            if width == 2 { break }
        }
        // 0 only for a cluster of zero-width code points alone (a zero-width space, or a
        // combining mark with nothing before it): the screen skips those.
        return width
    }

    /// Cells a string takes once drawn.
    public static func width(of text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// Cells one code point takes on its own: 0, 1 or 2.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F || isControl(scalar) { return 1 }
        if isZeroWidth(scalar) { return 0 }
        if (0x20000...0x3FFFD).contains(value) || isInWideTable(value) || scalar.properties.isEmojiPresentation {
            return 2
        }
        return 1
    }

    /// The character as it is drawn: control characters become visible pictures (U+2400…),
    /// a tab becomes spaces; everything else is itself.
    public static func visibleForm(of character: Character) -> String {
        guard let first = character.unicodeScalars.first, isControl(first) else { return String(character) }
        if first == "\t" { return String(repeating: " ", count: tabWidth) }
        switch first.value {
        case 0x00..<0x20: return String(Character(Unicode.Scalar(0x2400 + first.value) ?? "?"))
        case 0x7F: return "\u{2421}"
        default: return "\u{FFFD}"  // C1 controls have no pictures
        }
    }

    /// The longest prefix of `text` that fits in `cells`, and the cells it takes.
    public static func prefix(of text: some StringProtocol, fitting cells: Int) -> (text: Substring, width: Int) {
        let string = Substring(text)
        var used = 0
        var end = string.startIndex
        for index in string.indices {
            let w = width(of: string[index])
            if used + w > cells { break }
            used += w
            end = string.index(after: index)
        }
        return (string[string.startIndex..<end], used)
    }

    /// `text` cut to `cells`, ending in "…" when something was cut.
    public static func truncated(_ text: String, to cells: Int) -> String {
        guard cells > 0 else { return "" }
        if width(of: text) <= cells { return text }
        return String(prefix(of: text, fitting: cells - 1).text) + "…"
    }

    /// `text` padded with spaces (or cut) to exactly `cells`.
    public static func padded(_ text: String, to cells: Int) -> String {
        let fitted = truncated(text, to: cells)
        return fitted + String(repeating: " ", count: max(0, cells - width(of: fitted)))
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v)
    }

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        case .format: return scalar.value != 0x00AD  // the soft hyphen is drawn
        default: break
        }
        let v = scalar.value
        return (0x1160...0x11FF).contains(v)  // Hangul medial vowels and final consonants
            || (0xD7B0...0xD7FF).contains(v)
            || v == 0x200B                     // zero width space
    }

    private static func isInWideTable(_ value: UInt32) -> Bool {
        var low = 0
        var high = wideCodePointRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = wideCodePointRanges[mid]
            if value < range.lowerBound { high = mid - 1 } else if value > range.upperBound { low = mid + 1 } else { return true }
        }
        return false
    }
}
