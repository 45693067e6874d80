import Testing
@testable import Playground

@Suite struct EditorKillRingTests {
    @Test func ctrlKCutsToTheLineEndThenTheLineBreak() {
        var editor = PromptEditor(marked: "ab|cd\nef")
        editor.perform(.killToLineEnd)
        #expect(editor.marked == "ab|\nef")
        editor.perform(.killToLineEnd)
        #expect(editor.marked == "ab|ef")
        #expect(editor.killRing.entries == [Array("cd\n")])
    }

    @Test func ctrlUCutsToTheLineStartThenTheLineBreakBefore() {
        var editor = PromptEditor(marked: "ab\ncd|ef")
        editor.perform(.killToLineStart)
        #expect(editor.marked == "ab\n|ef")
        editor.perform(.killToLineStart)
        #expect(editor.marked == "ab|ef")
        #expect(editor.killRing.entries == [Array("\ncd")])
    }

    @Test func ctrlWCutsBackToWhiteSpaceAndJoinsConsecutiveCuts() {
        var editor = PromptEditor(marked: "say foo-bar.baz  |")
        editor.perform(.killWordBackward)
        #expect(editor.marked == "say |")
        editor.perform(.killWordBackward)
        #expect(editor.marked == "|")
        #expect(editor.killRing.entries == [Array("say foo-bar.baz  ")])
    }

    @Test func ctrlWCrossesLineBreaks() {
        var editor = PromptEditor(marked: "one two\n  |")
        editor.perform(.killWordBackward)
        #expect(editor.marked == "one |")
    }

    @Test func altDCutsToTheEndOfTheNextWord() {
        var editor = PromptEditor(marked: "|foo, bar baz")
        editor.perform(.killWordForward)
        #expect(editor.marked == "|, bar baz")
        editor.perform(.killWordForward)
        #expect(editor.marked == "| baz")
        #expect(editor.killRing.entries == [Array("foo, bar")])
    }

    @Test func cutsSeparatedByAnotherCommandMakeSeparateEntries() {
        var editor = PromptEditor(marked: "one two|")
        editor.perform([.killWordBackward, .moveLeft, .killWordBackward])
        #expect(editor.killRing.entries == [Array("one"), Array("two")])
    }

    @Test func yankInsertsTheLastCut() {
        var editor = PromptEditor(marked: "hello |world")
        editor.perform([.killToLineEnd, .moveToStart, .yank, .yank])
        #expect(editor.marked == "worldworld|hello ")
    }

    @Test func yankPopCyclesThroughOlderCuts() {
        var editor = PromptEditor(marked: "a b c|")
        editor.perform([.killWordBackward, .moveLeft, .killWordBackward, .moveLeft, .killWordBackward])
        #expect(editor.marked == "|  ")
        editor.perform(.yank)
        #expect(editor.marked == "a|  ")
        editor.perform(.yankPop)
        #expect(editor.marked == "b|  ")
        editor.perform(.yankPop)
        #expect(editor.marked == "c|  ")
        editor.perform(.yankPop)
        #expect(editor.marked == "a|  ")
        editor.perform(.undo)
        #expect(editor.marked == "|  ")
    }

    @Test func yankPopDoesNothingWithoutAYankJustBefore() {
        var editor = PromptEditor(marked: "a b|")
        editor.perform([.killWordBackward, .yank, .moveLeft])
        let changed = editor.perform(.yankPop)
        #expect(!changed)
        #expect(editor.marked == "a |b")
    }

    @Test func theNextYankStartsFromTheEntryPoppedTo() {
        var editor = PromptEditor(marked: "a b|")
        editor.perform([.killWordBackward, .moveLeft, .killWordBackward, .yank, .yankPop, .moveToEnd, .yank])
        #expect(editor.text == "b b")
    }

    @Test func emptyCutsLeaveTheRingAlone() {
        var editor = PromptEditor(marked: "|")
        editor.perform([.killToLineEnd, .killToLineStart, .killWordBackward, .killWordForward])
        #expect(editor.killRing.entries.isEmpty)
        let changed = editor.perform(.yank)
        #expect(!changed)
    }

    @Test func theRingKeepsTheNewestTenCuts() {
        var ring = KillRing()
        for i in 0..<12 { ring.kill(Array("\(i)"), direction: .forward, joiningPrevious: false) }
        #expect(ring.entries.count == KillRing.capacity)
        #expect(ring.yankText == Array("11"))
        #expect(ring.entries.last == Array("2"))
    }
}
