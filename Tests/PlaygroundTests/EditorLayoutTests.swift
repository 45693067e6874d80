import Testing
@testable import Playground

@Suite struct EditorLayoutTests {
    @Test func shortTextIsOneLine() {
        #expect(wrappedLines("hello world", width: 20) == ["hello world"])
        #expect(wrappedLines("", width: 20) == [""])
    }

    @Test func linesWrapAfterTheLastSpaceThatFits() {
        #expect(wrappedLines("the quick brown fox", width: 10) == ["the quick ", "brown fox"])
        #expect(wrappedLines("a bb ccc dddd", width: 6) == ["a bb ", "ccc ", "dddd"])
    }

    @Test func wordsLongerThanTheWidthAreCut() {
        #expect(wrappedLines("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(wrappedLines("ab supercalifragilistic", width: 8) == ["ab ", "supercal", "ifragili", "stic"])
    }

    @Test func aWordEndingExactlyAtTheWidthKeepsTheSpaceForTheNextLine() {
        // As `fold -s` does: the space cannot hang past the edge.
        #expect(wrappedLines("hello world", width: 5) == ["hello", " ", "world", ""])
    }

    @Test func newlinesAlwaysEndALine() {
        #expect(wrappedLines("ab\n\ncd\n", width: 10) == ["ab", "", "cd", ""])
    }

    @Test func aFullLastLineIsFollowedByAnEmptyLineForTheCursor() {
        let editor = PromptEditor(text: "abcd\nef")
        let layout = editor.layout(width: 4)
        #expect(layout.lines.map(\.range) == [0..<4, 4..<4, 5..<7])
        #expect(layout.point(of: 4) == EditorPoint(row: 1, column: 0))
        #expect(layout.point(of: 3) == EditorPoint(row: 0, column: 3))
    }

    @Test func wideCharactersAreNeverSplit() {
        #expect(wrappedLines("日本語テキスト", width: 5) == ["日本", "語テ", "キス", "ト"])
        #expect(PromptEditor(text: "日本語テキスト").layout(width: 5).lines.map(\.width) == [4, 4, 4, 2])
    }

    @Test func emojiSequencesAreOneUnitOfTwoCells() {
        #expect(wrappedLines("ab👨‍👩‍👧cd", width: 3) == ["ab", "👨‍👩‍👧c", "d"])
        #expect(wrappedLines("🇯🇵🇫🇷🇩🇪", width: 5) == ["🇯🇵🇫🇷", "🇩🇪"])
        #expect(wrappedLines("❤\u{FE0F}x", width: 2) == ["❤\u{FE0F}", "x"])
    }

    @Test func combiningMarksTakeNoCell() {
        let text = String(repeating: "e\u{301}", count: 5)
        #expect(wrappedLines(text, width: 3) == ["e\u{301}e\u{301}e\u{301}", "e\u{301}e\u{301}"])
    }

    @Test func tabsTakeTheirCellsAndAreWrapPoints() {
        #expect(wrappedLines("a\tb", width: 5) == ["a\t", "b"])
        #expect(PromptEditor(text: "a\tb").layout(width: 10).lines.map(\.width) == [1 + TextWidth.tabWidth + 1])
    }

    @Test func noBreakSpacesDoNotWrap() {
        #expect(wrappedLines("ab\u{A0}cd ef", width: 6) == ["ab\u{A0}cd ", "ef"])
        #expect(wrappedLines("ab\u{A0}cd", width: 3) == ["ab\u{A0}", "cd"])
    }

    @Test func zeroWidthOrLessLaysOutLogicalLines() {
        #expect(wrappedLines("a long line that would wrap\nnext", width: 0) == ["a long line that would wrap", "next"])
        #expect(wrappedLines("abc", width: -5) == ["abc"])
    }

    @Test func widthOneStillPlacesEveryCharacter() {
        let editor = PromptEditor(text: "a日\u{301}b")
        let layout = editor.layout(width: 1)
        #expect(layout.lines.map(\.range) == [0..<1, 1..<2, 2..<3, 3..<3])
        for position in 0...editor.characterCount { #expect(layout.point(of: position).column == 0) }
    }

    @Test func positionAtAWrapBelongsToTheNextLine() {
        let layout = PromptEditor(text: "the quick brown fox").layout(width: 10)
        #expect(layout.point(of: 10) == EditorPoint(row: 1, column: 0))
        #expect(layout.point(of: 9) == EditorPoint(row: 0, column: 9))
        #expect(layout.point(of: 19) == EditorPoint(row: 1, column: 9))
    }

    @Test func cursorColumnsAreInCells() {
        let layout = PromptEditor(text: "a日e\u{301}😀\tz").layout(width: 40)
        #expect((0...6).map { layout.point(of: $0).column } == [0, 1, 3, 4, 6, 10, 11])
    }

    @Test func pointsMapBackToPositions() {
        let layout = PromptEditor(text: "the quick brown fox").layout(width: 10)
        #expect(layout.position(at: EditorPoint(row: 1, column: 3)) == 13)
        // Past the end of a wrapped line: before its trailing space, the last place on it.
        #expect(layout.position(at: EditorPoint(row: 0, column: 30)) == 9)
        #expect(layout.position(at: EditorPoint(row: 1, column: 30)) == 19)
        #expect(layout.position(at: EditorPoint(row: 9, column: 0)) == 10)
        #expect(layout.position(at: EditorPoint(row: -1, column: -1)) == 0)
    }

    @Test func aPointOnAZeroWidthCharacterGivesThePositionBeforeIt() {
        let layout = PromptEditor(text: "a\u{200B}b").layout(width: 10)
        #expect(layout.point(of: 2) == EditorPoint(row: 0, column: 1))
        #expect(layout.position(at: EditorPoint(row: 0, column: 1)) == 1)
    }

    @Test(arguments: 1...12)
    func everyPositionHasItsOwnCellInsideTheWidth(width: Int) {
        let text = "Le 日本 😀 e\u{301}te\u{301}\tfin\n👨‍👩‍👧🇯🇵 supercalifragilistic ok\n\n"
        let layout = PromptEditor(text: text).layout(width: width)
        var seen = Set<EditorPoint>()
        for position in 0...Array(text).count {
            let point = layout.point(of: position)
            #expect(point.column < width, "position \(position)")
            #expect(seen.insert(point).inserted, "position \(position)")
            #expect(layout.position(at: point) == position, "position \(position)")
        }
    }

    @Test func rowsAreFoundByPosition() {
        let layout = PromptEditor(text: "ab\ncdefgh\n").layout(width: 4)
        #expect(layout.lines.map(\.range) == [0..<2, 3..<7, 7..<9, 10..<10])
        #expect((0...10).map { layout.row(of: $0) } == [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3])
        #expect(layout.row(of: -4) == 0)
        #expect(layout.row(of: 99) == 3)
    }
}
