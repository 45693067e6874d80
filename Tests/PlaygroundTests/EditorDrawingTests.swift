import Testing
@testable import Playground

@Suite struct EditorDrawingTests {
    /// The editor drawn inside a box filling a `width`×`height` screen, with its viewport set
    /// to the box's inside as the playground does.
    private func boxed(_ editor: PromptEditor, width: Int, height: Int, focused: Bool = true, placeholder: String = "") -> Screen {
        var screen = Screen(width: width, height: height)
        screen.box(screen.bounds, style: .border, title: "Prompt")
        let rect = screen.bounds.inset(by: 1)
        var editor = editor
        editor.resize(width: rect.width, height: rect.height)
        editor.draw(into: &screen, rect: rect, focused: focused, placeholder: placeholder)
        return screen
    }

    @Test func textIsDrawnWrappedWithTheCursorAfterIt() {
        let screen = boxed(PromptEditor(text: "Once upon a time, in a land far away"), width: 16, height: 6)
        #expect(screen.text == """
            ┌─ Prompt ─────┐
            │Once upon a   │
            │time, in a    │
            │land far away │
            │              │
            └──────────────┘
            """)
        #expect(screen.cursorPoint == EditorPoint(row: 3, column: 14))
    }

    @Test func placeholderShowsWhileEmpty() {
        let screen = boxed(PromptEditor(), width: 20, height: 4, placeholder: "Type a prompt, then Ctrl-R")
        #expect(screen.text == """
            ┌─ Prompt ─────────┐
            │Type a prompt,    │
            │then Ctrl-R       │
            └──────────────────┘
            """)
        #expect(screen[1, 1].style == .promptPlaceholder)
        #expect(screen.cursorPoint == EditorPoint(row: 1, column: 1))
    }

    @Test func textUsesThePromptStyle() {
        let screen = boxed(PromptEditor(text: "hi"), width: 6, height: 3)
        #expect((1...4).allSatisfy { screen[1, $0].style == .promptText })
        #expect(screen[1, 0].style == .border)
    }

    @Test func wideCharactersAndEmojiWrapWhole() {
        let screen = boxed(PromptEditor(text: "日本語のテキスト😀と👨‍👩‍👧 e\u{301}t\u{E9}"), width: 9, height: 7)
        #expect(screen.text == """
            ┌─ Pro…─┐
            │日本語 │
            │のテキ │
            │スト😀 │
            │と👨‍👩‍👧   │
            │e\u{301}té    │
            └───────┘
            """)
        #expect(screen.cursorPoint == EditorPoint(row: 5, column: 4))
    }

    @Test func tabsAndControlCharactersAreDrawnVisibly() {
        let screen = boxed(PromptEditor(text: "a\tb\u{1B}c"), width: 12, height: 3)
        #expect(screen.text.split(separator: "\n")[1] == "│a    b\u{241B}c  │")
    }

    @Test func theCursorAtTheEndOfAFullLineIsOnTheNextLine() {
        let screen = boxed(PromptEditor(text: "abcd"), width: 6, height: 4)
        #expect(screen.text == """
            ┌─ …─┐
            │abcd│
            │    │
            └────┘
            """)
        #expect(screen.cursorPoint == EditorPoint(row: 2, column: 1))
    }

    @Test func scrollingKeepsTheCursorInView() {
        var editor = PromptEditor(text: (0..<8).map { "line \($0)" }.joined(separator: "\n"))
        editor.resize(width: 10, height: 3)
        var screen = Screen(width: 10, height: 3)
        editor.draw(into: &screen, rect: screen.bounds, focused: true, placeholder: "")
        #expect(screen.text == "line 5\nline 6\nline 7")
        #expect(screen.cursorPoint == EditorPoint(row: 2, column: 6))
        editor.perform([.moveUp, .moveUp, .moveUp, .moveUp])
        #expect(editor.scrollRow == 3)
        editor.draw(into: &screen, rect: screen.bounds, focused: true, placeholder: "")
        #expect(screen.text == "line 3\nline 4\nline 5")
        #expect(screen.cursorPoint == EditorPoint(row: 0, column: 6))
        // Moving back down inside the view does not scroll.
        editor.perform(.moveDown)
        editor.draw(into: &screen, rect: screen.bounds, focused: true, placeholder: "")
        #expect(screen.text == "line 3\nline 4\nline 5")
        #expect(screen.cursorPoint == EditorPoint(row: 1, column: 6))
    }

    @Test func deletingTextScrollsBackSoNoRowIsWasted() {
        var editor = PromptEditor(text: "a\nb\nc\nd\ne")
        editor.resize(width: 5, height: 3)
        #expect(editor.scrollRow == 2)
        editor.perform([.moveToStart, .killToLineEnd, .killToLineEnd, .killToLineEnd, .killToLineEnd])
        #expect(editor.text == "c\nd\ne")
        #expect(editor.scrollRow == 0)
    }

    @Test func drawingInARectOtherThanTheViewportStillShowsTheCursor() {
        var editor = PromptEditor(text: (0..<8).map { "line \($0)" }.joined(separator: "\n"))
        editor.resize(width: 10, height: 8)
        #expect(editor.scrollRow == 0)
        var screen = Screen(width: 10, height: 2)
        editor.draw(into: &screen, rect: screen.bounds, focused: true, placeholder: "")
        #expect(screen.text == "line 6\nline 7")
        #expect(screen.cursorPoint == EditorPoint(row: 1, column: 6))
    }

    @Test func nothingIsDrawnOutsideTheRect() {
        var screen = Screen(width: 12, height: 5)
        screen.fill(screen.bounds, with: "#", style: .normal)
        let rect = Rect(row: 1, column: 3, width: 5, height: 2)
        let editor = PromptEditor(marked: "|日本語 averyveryverylongword and more\nlines\nbelow")
        editor.draw(into: &screen, rect: rect, focused: true, placeholder: "")
        #expect(screen.text == """
            ############
            ###日本 ####
            ###語   ####
            ############
            ############
            """)
        #expect(screen.cursorPoint == EditorPoint(row: 1, column: 3))
    }

    @Test func anUnfocusedEditorLeavesTheCursorAlone() {
        let screen = boxed(PromptEditor(text: "abc"), width: 10, height: 3, focused: false)
        #expect(screen.cursor == nil)
    }

    @Test func degenerateSizesNeverCrash() {
        let editors = [PromptEditor(), PromptEditor(text: "日本語😀 e\u{301} word\n\n\tx"), PromptEditor(marked: "ab|日")]
        let rects = [
            Rect(row: 0, column: 0, width: 1, height: 1), Rect(row: 0, column: 0, width: 1, height: 0),
            Rect(row: 0, column: 0, width: 0, height: 5), Rect(row: 2, column: 2, width: 10, height: 10),
            Rect(row: -3, column: -3, width: 4, height: 4), Rect(row: 9, column: 9, width: 3, height: 3),
        ]
        for original in editors {
            for rect in rects {
                var editor = original
                editor.resize(width: rect.width, height: rect.height)
                editor.perform([.moveUp, .pageDown, .click(row: 1, column: 1), .moveDown, .pageUp])
                for size in [(0, 0), (1, 1), (4, 4)] {
                    var screen = Screen(width: size.0, height: size.1)
                    editor.draw(into: &screen, rect: rect, focused: true, placeholder: "日本")
                    if let cursor = screen.cursor { #expect(rect.contains(row: cursor.row, column: cursor.column)) }
                }
            }
        }
    }

    @Test func aWideCharacterInAOneCellRectIsABlank() {
        var screen = Screen(width: 1, height: 3)
        PromptEditor(marked: "|日a").draw(into: &screen, rect: screen.bounds, focused: true, placeholder: "")
        #expect(screen.text == "\na\n")
        #expect(screen.cursorPoint == EditorPoint(row: 0, column: 0))
    }

    @Test func hugeViewportSizesAreSafe() {
        var editor = PromptEditor(text: "abc\ndef")
        editor.resize(width: Int.max, height: Int.max)
        editor.perform([.pageUp, .pageDown, .click(row: Int.max, column: Int.max)])
        #expect(editor.marked == "abc\ndef|")
    }
}
