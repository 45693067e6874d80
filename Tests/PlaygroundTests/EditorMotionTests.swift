import Testing
@testable import Playground

@Suite struct EditorMotionTests {
    private func moved(_ marked: String, _ commands: EditorCommand..., width: Int = 0, height: Int = 0) -> String {
        var editor = PromptEditor(marked: marked)
        editor.resize(width: width, height: height)
        editor.perform(commands)
        return editor.marked
    }

    @Test func leftAndRightStepOverWholeClusters() {
        #expect(moved("a👨‍👩‍👧|b", .moveLeft) == "a|👨‍👩‍👧b")
        #expect(moved("a|🇯🇵b", .moveRight) == "a🇯🇵|b")
        #expect(moved("|e\u{301}x", .moveRight) == "e\u{301}|x")
        #expect(moved("x|\r\ny", .moveRight) == "x\n|y")
    }

    @Test func leftAndRightStopAtTheEnds() {
        #expect(moved("|ab", .moveLeft) == "|ab")
        #expect(moved("ab|", .moveRight) == "ab|")
    }

    @Test func wordMotionsFollowReadline() {
        #expect(moved("foo-bar baz|", .moveWordLeft) == "foo-bar |baz")
        #expect(moved("foo-bar |baz", .moveWordLeft) == "foo-|bar baz")
        #expect(moved("foo-|bar baz", .moveWordLeft) == "|foo-bar baz")
        #expect(moved("|foo-bar baz", .moveWordRight) == "foo|-bar baz")
        #expect(moved("foo|-bar baz", .moveWordRight) == "foo-bar| baz")
        #expect(moved("foo-bar| baz", .moveWordRight) == "foo-bar baz|")
    }

    @Test func punctuationRunsAreSkippedByWordMotions() {
        #expect(moved("|...hello!!! world", .moveWordRight) == "...hello|!!! world")
        #expect(moved("say \"hi\"|", .moveWordLeft) == "say \"|hi\"")
        #expect(moved("don't|", .moveWordLeft) == "don'|t")
    }

    @Test func wordMotionsTreatUnicodeLettersAndDigitsAsWords() {
        #expect(moved("|cafe\u{301} nai\u{308}ve", .moveWordRight) == "cafe\u{301}| nai\u{308}ve")
        #expect(moved("|日本語、テスト", .moveWordRight) == "日本語|、テスト")
        #expect(moved("Привет мир|", .moveWordLeft) == "Привет |мир")
        #expect(moved("|٣٤٥ x", .moveWordRight) == "٣٤٥| x")
    }

    @Test func emojiSeparateWords() {
        #expect(moved("|hi😀there", .moveWordRight) == "hi|😀there")
        #expect(moved("hi|😀there", .moveWordRight) == "hi😀there|")
        #expect(moved("hi😀there|", .moveWordLeft) == "hi😀|there")
    }

    @Test func wordMotionsCrossLines() {
        #expect(moved("one\n|two", .moveWordLeft) == "|one\ntwo")
        #expect(moved("one|\ntwo", .moveWordRight) == "one\ntwo|")
    }

    @Test func lineStartAndEndAreOfTheLogicalLine() {
        // Wrapped at 5 cells, "abcdefghij" is two screen lines but one logical line.
        #expect(moved("x\nabcdefg|hij\ny", .moveToLineStart, width: 5) == "x\n|abcdefghij\ny")
        #expect(moved("x\nabc|defghij\ny", .moveToLineEnd, width: 5) == "x\nabcdefghij|\ny")
        #expect(moved("|", .moveToLineEnd) == "|")
    }

    @Test func documentStartAndEnd() {
        #expect(moved("a\nb|\nc", .moveToStart) == "|a\nb\nc")
        #expect(moved("a\n|b\nc", .moveToEnd) == "a\nb\nc|")
    }

    @Test func upAndDownKeepTheGoalColumnAcrossShortLines() {
        var editor = PromptEditor(marked: "01234567|89\nab\nabcdefghij")
        editor.perform(.moveDown)
        #expect(editor.marked == "0123456789\nab|\nabcdefghij")
        editor.perform(.moveDown)
        #expect(editor.marked == "0123456789\nab\nabcdefgh|ij")
        editor.perform(.moveUp)
        editor.perform(.moveUp)
        #expect(editor.marked == "01234567|89\nab\nabcdefghij")
    }

    @Test func anotherCommandForgetsTheGoalColumn() {
        var editor = PromptEditor(marked: "01234567|89\nab\nabcdefghij")
        editor.perform([.moveDown, .moveLeft, .moveDown])
        #expect(editor.marked == "0123456789\nab\na|bcdefghij")
    }

    @Test func upAndDownFollowWrappedLines() {
        #expect(moved("ab|cdefghijkl", .moveDown, width: 5) == "abcdefg|hijkl")
        #expect(moved("abcdefg|hijkl", .moveDown, width: 5) == "abcdefghijkl|")
        #expect(moved("abcdefghijk|l", .moveUp, width: 5) == "abcdef|ghijkl")
    }

    @Test func goalColumnIsInCellsNotCharacters() {
        // Column 2 is after one wide character; column 1 is inside it, so the cursor goes before it.
        #expect(moved("ab|日本\n日本語", .moveDown) == "ab日本\n日|本語")
        #expect(moved("a|b日本\n日本語", .moveDown) == "ab日本\n|日本語")
        #expect(moved("ab日本\n日|本語", .moveUp) == "ab|日本\n日本語")
    }

    @Test func upOnTheFirstLineGoesToTheStartAndDownOnTheLastToTheEnd() {
        #expect(moved("ab|c\ndef", .moveUp) == "|abc\ndef")
        #expect(moved("abc\nd|ef", .moveDown) == "abc\ndef|")
    }

    @Test func goalColumnSurvivesBumpingIntoTheEnd() {
        var editor = PromptEditor(marked: "abc\nd|ef")
        editor.perform([.moveDown, .moveUp])
        // At the end the column was 3; the goal column 1 is what takes it back up.
        #expect(editor.marked == "a|bc\ndef")
    }

    @Test func pageMovesAScreenfulLessOneLine() {
        let text = (0..<10).map { "line\($0)" }.joined(separator: "\n")
        var editor = PromptEditor(text: text)
        editor.resize(width: 20, height: 4)
        editor.perform([.moveToStart, .moveRight, .moveRight, .pageDown])
        #expect(editor.cursorPoint == EditorPoint(row: 3, column: 2))
        editor.perform(.pageDown)
        editor.perform(.pageDown)
        editor.perform(.pageDown)
        #expect(editor.cursorPoint == EditorPoint(row: 9, column: 2))
        editor.perform(.pageUp)
        #expect(editor.cursorPoint == EditorPoint(row: 6, column: 2))
    }

    @Test func clickPutsTheCursorAtTheCellCountingTheScroll() {
        let text = (0..<10).map { "l\($0)" }.joined(separator: "\n")
        var editor = PromptEditor(text: text)
        editor.resize(width: 10, height: 3)
        #expect(editor.scrollRow == 7)
        editor.perform(.click(row: 0, column: 1))
        #expect(editor.cursorPoint == EditorPoint(row: 7, column: 1))
        editor.perform(.click(row: 2, column: 50))
        #expect(editor.cursorPoint == EditorPoint(row: 9, column: 2))
    }

    @Test func clickOutsideTheTextIsClamped() {
        var editor = PromptEditor(text: "ab\ncd")
        editor.resize(width: 10, height: 5)
        editor.perform(.click(row: -3, column: -8))
        #expect(editor.marked == "|ab\ncd")
        editor.perform(.click(row: Int.max, column: Int.max))
        #expect(editor.marked == "ab\ncd|")
        editor.perform(.click(row: Int.min, column: 1))
        #expect(editor.marked == "a|b\ncd")
    }

    @Test func clickOnTheRightHalfOfAWideCharacterLandsBeforeIt() {
        var editor = PromptEditor(text: "日本語")
        editor.resize(width: 20, height: 2)
        editor.perform(.click(row: 0, column: 3))
        #expect(editor.marked == "日|本語")
    }

    @Test func firstAndLastVisualLineFollowTheWrap() {
        var editor = PromptEditor(text: "abcdefgh")
        editor.resize(width: 5, height: 3)
        #expect(editor.isCursorOnLastVisualLine)
        #expect(!editor.isCursorOnFirstVisualLine)
        editor.perform(.moveToLineStart)
        #expect(editor.isCursorOnFirstVisualLine)
        #expect(!editor.isCursorOnLastVisualLine)
        #expect(PromptEditor().isCursorOnFirstVisualLine && PromptEditor().isCursorOnLastVisualLine)
    }

    @Test func negativeViewportSizesMeanUnknownAndDoNotWrap() {
        var editor = PromptEditor(text: "a long line that would wrap")
        editor.resize(width: -4, height: -1)
        #expect(editor.viewportWidth == 0 && editor.viewportHeight == 0)
        #expect(editor.cursorPoint == EditorPoint(row: 0, column: 27))
        editor.perform(.pageUp)
        #expect(editor.cursorPoint == EditorPoint(row: 0, column: 27))
    }
}
