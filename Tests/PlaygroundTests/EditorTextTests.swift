import Testing
@testable import Playground

@Suite struct EditorTextTests {
    @Test func combiningMarkTypedAfterALetterJoinsIt() {
        var editor = PromptEditor()
        editor.type("e")
        editor.perform(.type("\u{301}"))
        #expect(editor.characterCount == 1)
        #expect(editor.text == "e\u{301}")
        #expect(editor.cursor == 1)
    }

    @Test func regionalIndicatorsTypedOneByOneBecomeFlags() {
        var editor = PromptEditor()
        for scalar in ["\u{1F1FA}", "\u{1F1F8}", "\u{1F1EB}", "\u{1F1F7}"] { editor.perform(.type(Character(scalar))) }
        #expect(editor.text == "🇺🇸🇫🇷")
        #expect(editor.characterCount == 2)
        #expect(editor.cursor == 2)
    }

    @Test func zwjSequenceTypedScalarByScalarIsOneCharacter() {
        var editor = PromptEditor()
        for scalar in ["\u{1F468}", "\u{200D}", "\u{1F469}", "\u{200D}", "\u{1F467}"] { editor.perform(.type(Character(scalar))) }
        #expect(editor.characterCount == 1)
        #expect(editor.text == "👨‍👩‍👧")
    }

    @Test func deletingANewlineMergesTheClustersAroundIt() {
        var editor = PromptEditor(marked: "a\n|\u{301}b")
        #expect(editor.characterCount == 4)
        editor.perform(.deleteBackward)
        #expect(editor.text == "a\u{301}b")
        #expect(editor.characterCount == 2)
    }

    @Test func regionalIndicatorInsertedBeforeFlagsRepairsThemAll() {
        var editor = PromptEditor(marked: "|🇺🇸🇫🇷")
        editor.perform(.type("\u{1F1EF}"))
        #expect(editor.text == "\u{1F1EF}🇺🇸🇫🇷")
        #expect(editor.storage.characters == Array(editor.text))
        #expect(editor.characterCount == 3)
    }

    @Test(arguments: [1, 2, 3, 7] as [UInt64])
    func randomEditsKeepTheClustersSwiftWouldFind(seed: UInt64) {
        let pieces: [String] = [
            "a", "e", " ", "\n", "\t", "\r", "\r\n", "日", "\u{301}", "\u{20DD}", "\u{200D}", "\u{FE0F}",
            "\u{1F1FA}", "\u{1F1F8}", "\u{1F468}", "\u{1F469}", "\u{2764}", "\u{915}", "\u{94D}", "\u{1100}", "\u{1161}", "x y",
        ]
        var random = SeededGenerator(state: seed)
        var editor = PromptEditor()
        for _ in 0..<600 {
            let piece = pieces.randomElement(using: &random) ?? "a"
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<4: editor.perform(.paste(piece))
            case 4: editor.perform(.deleteBackward)
            case 5: editor.perform(.deleteForward)
            case 6: editor.perform(.moveLeft)
            case 7: editor.perform(.moveRight)
            case 8: editor.perform(.killWordBackward)
            default: editor.perform(.yank)
            }
            #expect(editor.storage.characters == Array(editor.text))
            #expect(editor.storage.classes == editor.storage.characters.map(CharacterClass.init))
            #expect((0...editor.characterCount).contains(editor.cursor))
        }
        let final = editor.text
        while editor.perform(.undo) {}
        #expect(editor.text == "")
        while editor.perform(.redo) {}
        #expect(editor.text == final)
    }
}
