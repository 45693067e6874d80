import Testing
@testable import Playground

@Suite struct EditorUndoTests {
    @Test func typingAWordAndItsSpaceIsOneUndoStep() {
        var editor = PromptEditor()
        editor.type("hello world")
        editor.perform(.undo)
        #expect(editor.marked == "hello |")
        editor.perform(.undo)
        #expect(editor.marked == "|")
        editor.perform(.redo)
        #expect(editor.marked == "hello |")
        editor.perform(.redo)
        #expect(editor.marked == "hello world|")
    }

    @Test func aRunOfSpacesStaysWithTheWordBeforeIt() {
        var editor = PromptEditor()
        editor.type("one   two")
        editor.perform(.undo)
        #expect(editor.text == "one   ")
    }

    @Test func punctuationInsideAWordDoesNotSplitTheStep() {
        var editor = PromptEditor()
        editor.type("don't, ok")
        editor.perform(.undo)
        #expect(editor.text == "don't, ")
    }

    @Test func newlinesCloseAWordLikeSpaces() {
        var editor = PromptEditor()
        editor.type("one")
        editor.perform(.newline)
        editor.type("two")
        editor.perform(.undo)
        #expect(editor.text == "one\n")
    }

    @Test func movingTheCursorEndsTheTypingStep() {
        var editor = PromptEditor()
        editor.type("ab")
        editor.perform([.moveLeft, .moveRight])
        editor.type("cd")
        editor.perform(.undo)
        #expect(editor.marked == "ab|")
    }

    @Test func undoPutsTheCursorBackWhereTheEditStarted() {
        var editor = PromptEditor(marked: "abc|")
        editor.perform([.moveToStart])
        editor.type("X")
        editor.perform(.moveToEnd)
        editor.perform(.undo)
        #expect(editor.marked == "|abc")
        editor.perform(.redo)
        #expect(editor.marked == "X|abc")
    }

    @Test func aLargePasteIsOneStep() {
        let big = String(repeating: "lorem ipsum\r\n", count: 2_000)
        var editor = PromptEditor(marked: "<|>")
        editor.perform(.paste(big))
        #expect(editor.characterCount == 2 + 2_000 * 12)
        editor.perform(.undo)
        #expect(editor.marked == "<|>")
        editor.perform(.redo)
        #expect(editor.text == "<" + String(repeating: "lorem ipsum\n", count: 2_000) + ">")
    }

    @Test func consecutivePastesAreSeparateSteps() {
        var editor = PromptEditor()
        editor.perform([.paste("a"), .paste("b")])
        editor.perform(.undo)
        #expect(editor.text == "a")
    }

    @Test func aRunOfDeletionsIsOneStepPerDirection() {
        var editor = PromptEditor(marked: "abc|def")
        editor.perform([.deleteBackward, .deleteBackward, .deleteForward, .deleteForward])
        #expect(editor.marked == "a|f")
        editor.perform(.undo)
        #expect(editor.marked == "a|def")
        editor.perform(.undo)
        #expect(editor.marked == "abc|def")
    }

    @Test func setTextAndClearAreOneStepEach() {
        var editor = PromptEditor(text: "first")
        editor.perform([.setText("second prompt"), .clear])
        editor.perform(.undo)
        #expect(editor.text == "second prompt")
        editor.perform(.undo)
        #expect(editor.text == "first")
    }

    @Test func aNewEditForgetsTheRedo() {
        var editor = PromptEditor()
        editor.type("abc ")
        editor.perform(.undo)
        editor.type("x")
        let redone = editor.perform(.redo)
        #expect(!redone)
        #expect(editor.text == "x")
    }

    @Test func undoWithNothingToUndoChangesNothing() {
        var editor = PromptEditor(text: "kept")
        let changed = editor.perform(.undo)
        #expect(!changed)
        #expect(editor.marked == "kept|")
    }

    @Test func undoRestoresClustersThatAnEditMerged() {
        var editor = PromptEditor(marked: "e|")
        editor.perform(.type("\u{301}"))
        #expect(editor.characterCount == 1)
        editor.perform(.undo)
        #expect(editor.storage.characters == ["e"])
        #expect(editor.marked == "e|")
    }

    @Test func killsAndYanksAreUndoable() {
        var editor = PromptEditor(marked: "one |two")
        editor.perform([.killToLineEnd, .moveToStart, .yank])
        #expect(editor.marked == "two|one ")
        editor.perform(.undo)
        #expect(editor.marked == "|one ")
        editor.perform(.undo)
        #expect(editor.marked == "one |two")
    }

    @Test func historyKeepsAtMostItsStepLimit() {
        var editor = PromptEditor()
        for i in 0...EditHistory.maximumSteps { editor.perform(.paste("\(i % 10)")) }
        while editor.perform(.undo) {}
        #expect(editor.text == "0")
    }

    @Test func historyDropsOldStepsBeyondItsCharacterBudgetButKeepsTheNewest() {
        var history = EditHistory()
        let big = [Character](repeating: "x", count: EditHistory.maximumCharacters / 3)
        for _ in 0..<4 { history.record(TextEdit(offset: 0, removed: [], inserted: big), cursorBefore: 0, cursorAfter: big.count, joiningLast: false) }
        #expect(history.undoSteps.count == 3)
        var history2 = EditHistory()
        let huge = [Character](repeating: "x", count: EditHistory.maximumCharacters + 1)
        history2.record(TextEdit(offset: 0, removed: [], inserted: huge), cursorBefore: 0, cursorAfter: huge.count, joiningLast: false)
        #expect(history2.undoSteps.count == 1)
    }
}
