/// Where motions and kills stop, by readline's rules, on Character offsets.
extension EditorText {
    /// The start of the logical line holding `position`: just after the newline before it.
    func lineStart(of position: Int) -> Int {
        var p = clamped(position)
        while p > 0, !classes[p - 1].isNewline { p -= 1 }
        return p
    }

    /// The end of the logical line holding `position`: the offset of its newline, or the end.
    func lineEnd(of position: Int) -> Int {
        var p = clamped(position)
        while p < count, !classes[p].isNewline { p += 1 }
        return p
    }

    /// readline's forward-word (Alt-F): past any non-word characters, then past the word.
    /// Words are letters and digits, so punctuation and emoji separate words.
    func wordEnd(after position: Int) -> Int {
        var p = clamped(position)
        while p < count, !classes[p].isWordCharacter { p += 1 }
        while p < count, classes[p].isWordCharacter { p += 1 }
        return p
    }

    /// readline's backward-word (Alt-B): back over non-word characters, then to the start of
    /// the word.
    func wordStart(before position: Int) -> Int {
        var p = clamped(position)
        while p > 0, !classes[p - 1].isWordCharacter { p -= 1 }
        while p > 0, classes[p - 1].isWordCharacter { p -= 1 }
        return p
    }

    /// readline's unix-word-rubout (Ctrl-W): back over white space (newlines included), then
    /// to the previous white space.
    func whitespaceWordStart(before position: Int) -> Int {
        var p = clamped(position)
        while p > 0, classes[p - 1].isWhitespace { p -= 1 }
        while p > 0, !classes[p - 1].isWhitespace { p -= 1 }
        return p
    }

    func clamped(_ position: Int) -> Int {
        min(max(position, 0), count)
    }
}
