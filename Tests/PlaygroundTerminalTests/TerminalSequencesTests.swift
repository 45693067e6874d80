import Foundation
import Testing
@testable import PlaygroundTerminal

@Suite struct TerminalSequencesTests {
    @Test func clipboardIsOSC52WithBase64() {
        #expect(TerminalSequences.clipboard("hi 漢", insideTmux: false) == "\u{1B}]52;c;aGkg5ryi\u{07}")
    }

    @Test func insideTmuxTheSequenceIsAlsoPassedThrough() {
        let sequence = TerminalSequences.clipboard("hi", insideTmux: true)
        #expect(sequence == "\u{1B}]52;c;aGk=\u{07}" + "\u{1B}Ptmux;\u{1B}\u{1B}]52;c;aGk=\u{07}\u{1B}\\")
    }

    @Test func theResetUndoesEveryModeTheBackendSets() {
        let reset = TerminalSequences.reset
        for mode in ["?1000l", "?1002l", "?1006l", "?2004l", "?1049l", "?25h", "0m"] {
            #expect(reset.contains("\u{1B}[" + mode), "\(mode)")
        }
        #expect(TerminalSequences.mouseOn.contains("\u{1B}[?1006h") && TerminalSequences.bracketedPasteOn == "\u{1B}[?2004h")
    }
}
