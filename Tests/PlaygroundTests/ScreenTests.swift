import Testing
@testable import Playground

@Suite struct ScreenTests {
    @Test func textIsClippedToTheScreen() {
        var screen = Screen(width: 5, height: 2)
        screen.put("abcdefgh", row: 0, column: 2, style: .normal)
        screen.put("xyz", row: 5, column: 0, style: .normal)
        #expect(screen.text == "  abc\n")
    }

    @Test func aWideCharacterThatDoesNotFitBecomesABlank() {
        var screen = Screen(width: 5, height: 1)
        screen.put("ab日本", row: 0, column: 0, style: .normal)
        #expect(screen.text == "ab日")
        #expect(screen[0, 3].isContinuation)
        #expect(screen[0, 4].character == " ")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var screen = Screen(width: 4, height: 1)
        screen.put("日本", row: 0, column: 0, style: .normal)
        screen.put("x", row: 0, column: 1, style: .normal)
        #expect(screen.text == " x本")
        #expect(!screen[0, 1].isContinuation)
    }

    @Test func clipRectangleLimitsDrawing() {
        var screen = Screen(width: 10, height: 3)
        let clip = Rect(row: 1, column: 2, width: 3, height: 1)
        screen.put("hello", row: 1, column: 0, style: .normal, clip: clip)
        screen.put("hello", row: 0, column: 0, style: .normal, clip: clip)
        #expect(screen.text == "\n  llo\n")
    }

    @Test func boxDrawsBordersAndTitle() {
        var screen = Screen(width: 10, height: 3)
        screen.box(screen.bounds, style: .border, title: "Hi")
        #expect(screen.text == "┌─ Hi ───┐\n│        │\n└────────┘")
    }

    @Test func controlCharactersNeverReachTheGrid() {
        var screen = Screen(width: 6, height: 1)
        screen.put("a\u{1B}[b", row: 0, column: 0, style: .normal)
        #expect(screen.text == "a\u{241B}[b")
    }
}
