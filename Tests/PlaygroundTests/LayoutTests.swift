import Testing
@testable import Playground

@Suite struct LayoutTests {
    @Test func narrowTerminalsPutTheParametersUnderThePrompt() {
        let layout = Layout(width: 80, height: 24)
        #expect(layout.panelShape == .strip)
        #expect(layout.prompt.row == 0 && layout.panel.row == layout.prompt.bottom)
        #expect(layout.columns.row == layout.panel.bottom)
        #expect(layout.columns.bottom == layout.status.row)
        #expect(layout.hints.row == 23)
        #expect(layout.columns.height >= 8)
    }

    @Test func wideTerminalsPutTheParametersAtTheSide() {
        let layout = Layout(width: 200, height: 50)
        #expect(layout.panelShape == .side)
        #expect(layout.panel.right == 200 && layout.panel.height == 48)
        #expect(layout.columns.width == 200 - Layout.sidePanelWidth)
    }

    @Test func columnsPageWhenTooNarrow() {
        #expect(Layout.visibleColumnCount(total: 3, width: 80) == 3)
        #expect(Layout.visibleColumnCount(total: 8, width: 80) == 3)
        #expect(Layout.visibleColumnCount(total: 2, width: 10) == 1)
        #expect(ColumnsView.firstVisibleColumn(focused: 4, total: 8, width: 80) == 3)
        #expect(ColumnsView.firstVisibleColumn(focused: 7, total: 8, width: 80) == 6)
    }

    @Test func degenerateSizesGiveEmptyRectangles() {
        for (w, h) in [(0, 0), (1, 1), (5, 2)] {
            let layout = Layout(width: w, height: h)
            #expect(layout.columns.height >= 0 && layout.prompt.width >= 0)
        }
    }
}
