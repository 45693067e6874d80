import Testing
@testable import Playground

@Suite struct EditorPerformanceTests {
    /// A 50,000-character prompt of mixed text: words, CJK, emoji, combining marks, paragraphs.
    private static let longPrompt: String = {
        let paragraph = "The quick brown fox jumps over the lazy dog; 日本語のテキスト 😀 cafe\u{301} naïve.\n"
        return String(repeating: paragraph, count: 50_000 / paragraph.count + 1)
    }()

    @Test func aFiftyThousandCharacterPromptStillEditsQuickly() {
        var editor = PromptEditor()
        editor.perform(.paste(Self.longPrompt))
        #expect(editor.characterCount > 50_000)
        editor.resize(width: 78, height: 10)
        var screen = Screen(width: 80, height: 24)
        let rect = Rect(row: 1, column: 1, width: 78, height: 10)
        editor.perform(.click(row: 0, column: 0))
        for _ in 0..<40 { editor.perform(.pageUp) }
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for i in 0..<100 {
                let commands: [EditorCommand] = [
                    .type("x"), .moveDown, .moveWordRight, .type(" "), .deleteBackward, .killToLineEnd, .yank,
                    i.isMultiple(of: 25) ? .undo : .moveLeft,
                ]
                for command in commands {
                    editor.perform(command)
                    editor.draw(into: &screen, rect: rect, focused: true, placeholder: "")
                }
            }
        }
        // 800 commands, each followed by a frame. Linear work per command keeps this well
        // under the bound even in a debug build on a busy machine; quadratic work would not.
        #expect(elapsed < .seconds(30), "\(elapsed)")
        print("800 commands and frames on a 50k prompt: \(elapsed)")
    }
}
