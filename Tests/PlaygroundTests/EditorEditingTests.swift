import Testing
@testable import Playground

@Suite struct EditorEditingTests {
    @Test func typingInsertsAtTheCursor() {
        var editor = PromptEditor(marked: "ad|")
        editor.perform(.moveLeft)
        editor.type("bc")
        #expect(editor.marked == "abc|d")
    }

    @Test func newEditorHasTheCursorAtTheEnd() {
        #expect(PromptEditor(text: "hello").marked == "hello|")
        #expect(PromptEditor().marked == "|")
        #expect(PromptEditor().isEmpty)
    }

    @Test func initialTextHasItsLineEndsNormalised() {
        #expect(PromptEditor(text: "a\r\nb\rc").text == "a\nb\nc")
    }

    @Test func typedCarriageReturnIsANewline() {
        var editor = PromptEditor(marked: "ab|")
        editor.perform(.type("\r"))
        editor.perform(.type("\r\n"))
        #expect(editor.marked == "ab\n\n|")
    }

    @Test func newlineSplitsTheLine() {
        var editor = PromptEditor(marked: "ab|cd")
        editor.perform(.newline)
        #expect(editor.marked == "ab\n|cd")
    }

    @Test func pasteNormalisesLineEndsAndKeepsTabs() {
        var editor = PromptEditor(marked: "[|]")
        editor.perform(.paste("one\r\ntwo\rthree\n\tfour"))
        #expect(editor.marked == "[one\ntwo\nthree\n\tfour|]")
    }

    @Test func pasteKeepsControlCharactersAsText() {
        var editor = PromptEditor()
        editor.perform(.paste("a\u{1B}[31mb"))
        #expect(editor.text == "a\u{1B}[31mb")
    }

    @Test func deleteBackwardRemovesOneGraphemeCluster() {
        var editor = PromptEditor(marked: "a👨‍👩‍👧|b")
        editor.perform(.deleteBackward)
        #expect(editor.marked == "a|b")
    }

    @Test func deleteForwardRemovesTheCharacterUnderTheCursor() {
        var editor = PromptEditor(marked: "a|e\u{301}b")
        editor.perform(.deleteForward)
        #expect(editor.marked == "a|b")
    }

    @Test func deletingAtTheEdgesChangesNothing() {
        var editor = PromptEditor(marked: "|ab")
        let deletedBackward = editor.perform(.deleteBackward)
        editor.perform(.moveToEnd)
        let deletedForward = editor.perform(.deleteForward)
        #expect(!deletedBackward && !deletedForward)
        #expect(editor.marked == "ab|")
    }

    @Test func setTextReplacesEverythingWithTheCursorAtTheEnd() {
        var editor = PromptEditor(marked: "old |text")
        editor.perform(.setText("new\r\nprompt"))
        #expect(editor.marked == "new\nprompt|")
    }

    @Test func clearEmptiesTheText() {
        var editor = PromptEditor(marked: "some| text")
        editor.perform(.clear)
        #expect(editor.marked == "|")
    }

    @Test func performReportsWhetherTheTextChanged() {
        var editor = PromptEditor(marked: "ab|")
        let commands: [EditorCommand] = [.type("c"), .moveLeft, .setText("abc"), .setText("xyz"), .yank, .redo, .undo]
        let changes = commands.map { editor.perform($0) }
        #expect(changes == [true, false, false, true, false, false, true])
    }

    @Test func helpTextIsOneShortLineForEveryCommand() {
        let commands: [EditorCommand] = [
            .type("a"), .paste("x"), .newline, .moveLeft, .moveRight, .moveWordLeft, .moveWordRight, .moveUp,
            .moveDown, .pageUp, .pageDown, .moveToLineStart, .moveToLineEnd, .moveToStart, .moveToEnd,
            .click(row: 0, column: 0), .deleteBackward, .deleteForward, .killWordBackward, .killWordForward,
            .killToLineEnd, .killToLineStart, .yank, .yankPop, .undo, .redo, .setText(""), .clear,
        ]
        for command in commands {
            #expect(!command.helpText.isEmpty)
            #expect(command.helpText.count <= 40, "\(command)")
            #expect(!command.helpText.contains("\n"))
        }
        #expect(Set(commands.map(\.helpText)).count == commands.count)
    }
}
