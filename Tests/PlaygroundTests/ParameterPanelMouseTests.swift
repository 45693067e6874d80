import GPT2
import Testing
@testable import Playground

/// The panel drawn in a 30×18 side rectangle away from the screen's corner:
///
/// ```
///    col 3         12          24 26   31
/// row 2  ┌─ Parameters ───────────────┐
/// row 3  │Mode    sample-top-p        │
/// row 4  │        sample-top-k sample │
/// row 5  │        beam greedy         │
/// row 6  │Temp    ━━━━●────────   0.70│
/// row 7  │Top-p   ━━━━━━━━━━━●─   0.92│
/// row 8  │Top-k   ━●───────────     50│
/// row 9  │Length  ━●───────────    100│
/// ```
@Suite struct ParameterPanelMouseTests {
    let rect = Rect(row: 2, column: 3, width: 30, height: 18)

    private func press(_ row: Int, _ column: Int) -> ParameterPanel.Command { .mouse(MouseEvent(.press, row: row, column: column), panel: rect) }
    private func drag(_ row: Int, _ column: Int) -> ParameterPanel.Command { .mouse(MouseEvent(.drag, row: row, column: column), panel: rect) }
    private func release(_ row: Int, _ column: Int) -> ParameterPanel.Command { .mouse(MouseEvent(.release, row: row, column: column), panel: rect) }

    @Test func hitTestingMapsCellsToWhatTheyShow() {
        let panel = ParameterPanel()
        #expect(panel.hit(row: 3, column: 12, panel: rect) == .mode(.sampleTopP))
        #expect(panel.hit(row: 4, column: 26, panel: rect) == .mode(.sample))
        #expect(panel.hit(row: 5, column: 13, panel: rect) == .mode(.beam))
        #expect(panel.hit(row: 5, column: 16, panel: rect) == .field(.mode))
        #expect(panel.hit(row: 3, column: 5, panel: rect) == .field(.mode))
        #expect(panel.hit(row: 6, column: 5, panel: rect) == .field(.temperature))
        #expect(panel.hit(row: 6, column: 12, panel: rect) == .slider(.temperature, value: 0.05))
        #expect(panel.hit(row: 6, column: 24, panel: rect) == .slider(.temperature, value: 2))
        #expect(panel.hit(row: 6, column: 15, panel: rect) == .slider(.temperature, value: 0.55))
        #expect(panel.hit(row: 6, column: 28, panel: rect) == .field(.temperature))
        #expect(panel.hit(row: 9, column: 24, panel: rect) == .slider(.maxLength, value: 1024))
    }

    @Test func bordersAndCellsOutsideHitNothing() {
        let panel = ParameterPanel()
        #expect(panel.hit(row: 2, column: 10, panel: rect) == nil)
        #expect(panel.hit(row: 6, column: 3, panel: rect) == nil)
        #expect(panel.hit(row: 6, column: 32, panel: rect) == nil)
        #expect(panel.hit(row: 0, column: 0, panel: rect) == nil)
        #expect(panel.hit(row: 18, column: 10, panel: rect) == nil)  // the free rows under the fields
        #expect(panel.hit(row: 6, column: 12, panel: Rect(row: 0, column: 0, width: 0, height: 0)) == nil)
    }

    @Test func clickingAModePicksIt() {
        var panel = ParameterPanel()
        panel.perform(.focus(.temperature))
        panel.perform(press(5, 18))
        #expect(panel.parameters.mode == .greedy)
        #expect(panel.focus == .mode)
    }

    @Test func clickingATrackFocusesTheSliderAndMovesIt() {
        var panel = ParameterPanel()
        let changed = panel.perform(press(6, 24))
        #expect(changed)
        #expect(panel.focus == .temperature)
        #expect(panel.parameters.temperature == 2)
    }

    @Test func draggingFollowsTheMouseEvenOffTheTrackUntilRelease() {
        var panel = ParameterPanel()
        panel.perform(press(9, 13))
        #expect(panel.focus == .maxLength)
        panel.perform(drag(14, 100))
        #expect(panel.parameters.maxLength == 1024)
        panel.perform(drag(3, 0))
        #expect(panel.parameters.maxLength == 1)
        panel.perform(release(9, 18))
        #expect(panel.parameters.maxLength == 513)
        panel.perform(drag(9, 24))
        #expect(panel.parameters.maxLength == 513)
    }

    @Test func aDragThatDidNotStartOnATrackMovesNothing() {
        var panel = ParameterPanel()
        panel.perform(press(6, 5))
        let changed = panel.perform(drag(6, 24))
        #expect(!changed)
        #expect(panel.parameters == GenerationParameters())
    }

    @Test func clickingADimmedFieldExplainsWhyAndChangesNothing() {
        var panel = ParameterPanel()
        let changed = panel.perform(press(8, 20))
        #expect(!changed)
        #expect(panel.parameters.topK == 50)
        #expect(panel.focus == .mode)
        #expect(panel.message == .init(text: "top_k does not apply in sample-top-p mode (only in sample-top-k, sample)", isError: true))
        panel.perform(drag(8, 24))
        #expect(panel.parameters.topK == 50)
    }

    @Test func theWheelStepsTheFieldUnderIt() {
        var panel = ParameterPanel()
        panel.perform(.mouse(MouseEvent(.scrollUp, row: 9, column: 5), panel: rect))
        #expect(panel.focus == .maxLength)
        #expect(panel.parameters.maxLength == 101)
        panel.perform(.mouse(MouseEvent(.scrollDown, row: 6, column: 20), panel: rect))
        #expect(panel.parameters.temperature == 0.65)
        panel.perform(.mouse(MouseEvent(.scrollDown, row: 4, column: 14), panel: rect))
        #expect(panel.parameters.mode == .greedy)
        #expect(panel.focus == .mode)
    }

    @Test func clicksLandOnTheRightFieldInTheWideGrid() {
        var p = GenerationParameters()
        p.mode = .beam
        var panel = ParameterPanel(parameters: p)
        let wide = Rect(row: 10, column: 0, width: 80, height: 7)
        // Row 13 holds Length, Seqs and Beams; the label of Beams starts at column 53, its track ends at 69.
        #expect(panel.hit(row: 13, column: 53, panel: wide) == .field(.numBeams))
        panel.perform(.mouse(MouseEvent(.press, row: 13, column: 69), panel: wide))
        #expect(panel.focus == .numBeams)
        #expect(panel.parameters.numBeams == 16)
    }

    @Test func anOpenEntryIsDroppedByAClick() {
        var panel = ParameterPanel()
        panel.perform(.focus(.temperature))
        panel.perform(.type("1.9"))
        panel.perform(press(9, 5))
        #expect(panel.entry == nil)
        #expect(panel.parameters.temperature == 0.7)
        #expect(panel.focus == .maxLength)
    }
}
