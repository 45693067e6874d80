import Testing
import Playground
@testable import PlaygroundTerminal

@Suite struct ScreenDiffTests {
    private func screen(_ lines: [String], style: StyleSlot = .normal) -> Screen {
        var screen = Screen(width: 6, height: lines.count)
        for (row, line) in lines.enumerated() { screen.put(line, row: row, column: 0, style: style) }
        return screen
    }

    private func cells(_ changes: [ScreenDiff.Change]) -> [String] {
        changes.map { "\($0.row),\($0.column)x\($0.cells)\($0.isOrphan ? "o" : "")" }
    }

    @Test func aFirstFrameDrawsEveryCell() {
        let new = screen(["ab", "漢"])
        let changes = ScreenDiff.changes(from: nil, to: new, rows: 2, columns: 6)
        #expect(changes.count == 6 + 5)
        #expect(changes.contains(ScreenDiff.Change(row: 1, column: 0, cells: 2, isOrphan: false)))
        #expect(!changes.contains { $0.row == 1 && $0.column == 1 })
    }

    @Test func anUnchangedFrameDrawsNothing() {
        #expect(ScreenDiff.changes(from: screen(["ab漢"]), to: screen(["ab漢"]), rows: 1, columns: 6).isEmpty)
    }

    @Test func onlyChangedCellsAreDrawn() {
        #expect(cells(ScreenDiff.changes(from: screen(["abc"]), to: screen(["aXc"]), rows: 1, columns: 6)) == ["0,1x1"])
        #expect(cells(ScreenDiff.changes(from: screen(["abc"]), to: screen(["ab漢"]), rows: 1, columns: 6)) == ["0,2x2"])
        #expect(cells(ScreenDiff.changes(from: screen(["ab漢"]), to: screen(["abcd"]), rows: 1, columns: 6)) == ["0,2x1", "0,3x1"])
    }

    @Test func aStyleChangeRedrawsTheCell() {
        var new = screen(["ab漢"])
        new.restyle(Rect(row: 0, column: 3, width: 1, height: 1), style: .title)
        // Only the right half of 漢 changed style: 漢 is drawn again.
        #expect(cells(ScreenDiff.changes(from: screen(["ab漢"]), to: new, rows: 1, columns: 6)) == ["0,2x2"])
    }

    @Test func cellsBeyondTheTerminalAreLeftOut() {
        let changes = ScreenDiff.changes(from: nil, to: screen(["abcdef", "ghijkl"]), rows: 1, columns: 3)
        #expect(cells(changes) == ["0,0x1", "0,1x1", "0,2x1"])
    }

    @Test func aScreenOfAnotherSizeIsDrawnWhole() {
        let old = Screen(width: 3, height: 1)
        #expect(ScreenDiff.changes(from: old, to: screen(["ab"]), rows: 1, columns: 6).count == 6)
    }

    @Test func degenerateSizesDrawNothing() {
        #expect(ScreenDiff.changes(from: nil, to: Screen(width: 0, height: 0), rows: 0, columns: 0).isEmpty)
        #expect(ScreenDiff.changes(from: nil, to: screen(["ab"]), rows: 0, columns: 5).isEmpty)
        #expect(ScreenDiff.changes(from: nil, to: Screen(width: 1, height: 1), rows: 1, columns: 1).count == 1)
    }
}
