import Testing
@testable import Playground

@Suite struct TextWidthTests {
    @Test func asciiTakesOneCellEach() {
        #expect(TextWidth.width(of: "hello") == 5)
    }

    @Test func cjkAndEmojiTakeTwoCells() {
        #expect(TextWidth.width(of: "日本語") == 6)
        #expect(TextWidth.width(of: "😀") == 2)
        #expect(TextWidth.width(of: "한국") == 4)
        #expect(TextWidth.width(of: "Ｆ") == 2)  // fullwidth Latin
    }

    @Test func combiningMarksTakeNoCell() {
        #expect(TextWidth.width(of: "e\u{301}") == 1)
        #expect(TextWidth.width(of: "a\u{20DD}") == 1)
    }

    @Test func emojiPresentationSelectorMakesTwoCells() {
        #expect(TextWidth.width(of: "\u{2764}") == 1)
        #expect(TextWidth.width(of: "\u{2764}\u{FE0F}") == 2)
    }

    @Test func controlCharactersAreDrawnVisibly() {
        #expect(TextWidth.visibleForm(of: "\u{1B}") == "\u{241B}")
        #expect(TextWidth.width(of: Character("\u{1B}")) == 1)
        #expect(TextWidth.visibleForm(of: "\t") == "    ")
        #expect(TextWidth.width(of: "\t") == TextWidth.tabWidth)
    }

    @Test func truncationNeverSplitsAWideCharacter() {
        #expect(TextWidth.truncated("日本語テキスト", to: 6) == "日本…")
        #expect(TextWidth.width(of: TextWidth.padded("日本語", to: 5)) == 5)
        #expect(TextWidth.padded("ab", to: 4) == "ab  ")
    }

    @Test func wideTableIsSortedAndDisjoint() {
        for (a, b) in zip(wideCodePointRanges, wideCodePointRanges.dropFirst()) {
            #expect(a.upperBound < b.lowerBound)
        }
    }
}
