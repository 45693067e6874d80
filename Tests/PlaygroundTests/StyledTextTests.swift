import Testing
@testable import Playground

@Suite struct StyledTextTests {
    private func plain(_ lines: [[StyledRun]]) -> [String] {
        lines.map { $0.map(\.text).joined() }
    }

    @Test func wrapsAtSpacesAndDropsTheBreakingSpace() {
        let lines = StyledText.wrap([StyledRun("the quick brown fox jumps", .normal)], width: 10)
        #expect(plain(lines) == ["the quick ", "brown fox ", "jumps"])
    }

    @Test func longWordsBreakAnywhere() {
        let lines = StyledText.wrap([StyledRun("abcdefghijkl", .normal)], width: 5)
        #expect(plain(lines) == ["abcde", "fghij", "kl"])
    }

    @Test func newlinesAlwaysBreak() {
        let lines = StyledText.wrap([StyledRun("a\n\nb", .normal)], width: 5)
        #expect(plain(lines) == ["a", "", "b"])
    }

    @Test func wideCharactersNeverStraddleLines() {
        let lines = StyledText.wrap([StyledRun("日本語のテキスト", .normal)], width: 5)
        #expect(plain(lines) == ["日本", "語の", "テキ", "スト"])
        for line in plain(lines) { #expect(TextWidth.width(of: line) <= 5) }
    }

    @Test func stylesSurviveWrapping() {
        let lines = StyledText.wrap([StyledRun("dim ", .dim), StyledRun("bright words", .normal)], width: 11)
        #expect(lines[0] == [StyledRun("dim ", .dim), StyledRun("bright ", .normal)])
        #expect(lines[1] == [StyledRun("words", .normal)])
    }

    @Test func zeroWidthGivesNoLines() {
        #expect(StyledText.wrap([StyledRun("abc", .normal)], width: 0).isEmpty)
    }
}
