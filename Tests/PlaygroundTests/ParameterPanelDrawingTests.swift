import GPT2
import Testing
@testable import Playground

@Suite struct ParameterPanelDrawingTests {
    private func render(_ panel: ParameterPanel, width: Int, height: Int, focused: Bool = true) -> Screen {
        var screen = Screen(width: width, height: height)
        panel.draw(into: &screen, rect: screen.bounds, focused: focused)
        return screen
    }

    private func panel(_ mode: DecodingMode, focus: ParameterField = .mode, change: (inout GenerationParameters) -> Void = { _ in }) -> ParameterPanel {
        var p = GenerationParameters()
        p.mode = mode
        change(&p)
        var panel = ParameterPanel(parameters: p)
        panel.perform(.focus(focus))
        return panel
    }

    /// The column where `text` starts on `row` of the screen, in cells.
    private func column(of text: String, row: Int, in screen: Screen) -> Int? {
        let line = screen.text.split(separator: "\n", omittingEmptySubsequences: false)[row]
        guard let range = line.range(of: text) else { return nil }
        return TextWidth.width(of: line[..<range.lowerBound])
    }

    @Test func aTallSidePanelGivesEachFieldTwoLines() {
        let screen = render(ParameterPanel(), width: 30, height: 26)
        #expect(screen.text == """
            ┌─ Parameters ───────────────┐
            │Mode                        │
            │sample-top-p sample-top-k   │
            │sample beam greedy          │
            │Temperature             0.70│
            │━━━━━━━━━●──────────────────│
            │Top-p                   0.92│
            │━━━━━━━━━━━━━━━━━━━━━━━━━●──│
            │Top-k                     50│
            │━━━●────────────────────────│
            │Max length               100│
            │━━━●────────────────────────│
            │Sequences                  3│
            │━━━━━━━━●───────────────────│
            │Beams                      5│
            │━━━━━━━●────────────────────│
            │No-repeat n-gram         off│
            │●───────────────────────────│
            │Repetition penalty      1.00│
            │━━━━━━━━━●──────────────────│
            │Seed                        │
            │random                      │
            │Stop strings                │
            │none                        │
            │                            │
            └────────────────────────────┘
            """)
    }

    @Test func aShortSidePanelGivesEachFieldOneLine() {
        let screen = render(ParameterPanel(), width: 30, height: 18)
        #expect(screen.text == """
            ┌─ Parameters ───────────────┐
            │Mode    sample-top-p        │
            │        sample-top-k sample │
            │        beam greedy         │
            │Temp    ━━━━●────────   0.70│
            │Top-p   ━━━━━━━━━━━●─   0.92│
            │Top-k   ━●───────────     50│
            │Length  ━●───────────    100│
            │Seqs    ━━━●─────────      3│
            │Beams   ━━━●─────────      5│
            │No-rep  ●────────────    off│
            │Rep-pen ━━━━●────────   1.00│
            │Seed    random              │
            │Stop    none                │
            │                            │
            │                            │
            │                            │
            └────────────────────────────┘
            """)
    }

    @Test func aWidePanelLaysTheFieldsOutInAGrid() {
        let beam = panel(.beam, focus: .numBeams) {
            $0.stop = ["\n\n", "END"]
            $0.seed = 42
        }
        let screen = render(beam, width: 80, height: 7)
        #expect(screen.text == """
            ┌─ Parameters ─────────────────────────────────────────────────────────────────┐
            │Mode    sample-top-p sample-top-k sample beam greedy                          │
            │Temp    ━━━●─────   0.70  Top-p   ━━━━━━━●─   0.92  Top-k   ━●───────     50  │
            │Length  ━●───────    100  Seqs    ━━●──────      3  Beams   ━━●──────      5  │
            │No-rep  ━━●──────      2  Rep-pen ━━━●─────   1.00  Seed    42                │
            │Stop    \\n\\n|END                                                              │
            └──────────────────────────────────────────────────────────────────────────────┘
            """)
        #expect(ParameterPanel.preferredHeight(forWidth: 80) == 7)
        #expect(ParameterPanel.preferredHeight(forWidth: 120) == 6)
        #expect(ParameterPanel.preferredHeight(forWidth: 30) == 25)
    }

    @Test func fieldsTheModeDoesNotUseAreDimmed() throws {
        let screen = render(panel(.greedy), width: 80, height: 7, focused: false)
        for (label, row) in [("Temp", 2), ("Top-p", 2), ("Top-k", 2), ("Beams", 3), ("Seed", 4)] {
            let c = try #require(column(of: label, row: row, in: screen))
            #expect(screen[row, c].style == .panelDisabled, "\(label)")
        }
        for (label, row) in [("Length", 3), ("Seqs", 3), ("No-rep", 4), ("Rep-pen", 4), ("Stop", 5)] {
            let c = try #require(column(of: label, row: row, in: screen))
            #expect(screen[row, c].style == .panelLabel, "\(label)")
        }
        let greedy = try #require(column(of: "greedy", row: 1, in: screen))
        #expect(screen[1, greedy].style == .modeSelected)
        #expect(screen[1, greedy - 2].style == .panelValue)
        #expect(screen[0, 0].style == .border)
        #expect(!screen.styleMap.contains(StyleSlot.panelFocused.rawValue))
        // A dimmed slider is dimmed from end to end.
        let track = try #require(column(of: "━", row: 2, in: screen))
        #expect(screen[2, track].style == .panelDisabled)
    }

    @Test func theFocusedFieldIsHighlightedOnlyWhileThePanelHasTheFocus() throws {
        let beam = panel(.beam, focus: .numBeams)
        let focused = render(beam, width: 80, height: 7)
        let c = try #require(column(of: "Beams", row: 3, in: focused))
        #expect(focused[3, c].style == .panelFocused)
        #expect(focused[0, 0].style == .borderFocused)
        let unfocused = render(beam, width: 80, height: 7, focused: false)
        #expect(unfocused[3, c].style == .panelLabel)
    }

    @Test func slidersShowFillKnobAndTrack() throws {
        let screen = render(ParameterPanel(), width: 30, height: 18)
        let knob = try #require(column(of: "●", row: 4, in: screen))
        #expect(screen[4, knob].style == .sliderKnob)
        #expect(screen[4, knob - 1].style == .sliderFill)
        #expect(screen[4, knob + 1].style == .sliderTrack)
    }

    @Test func thePresetNameShowsInTheTitle() {
        var p = GenerationParameters()
        p.stop = ["日本", "👍"]
        p.seed = 1234567890123
        var panel = ParameterPanel()
        panel.perform(.applyPreset(Preset(name: "mine", parameters: p)))
        let screen = render(panel, width: 32, height: 26)
        #expect(screen.text.hasPrefix("┌─ Parameters · mine ──────────┐\n"))
        #expect(screen.text.contains("│1234567890123                 │"))
        #expect(screen.text.contains("│日本|👍                       │"))
    }

    @Test func theFieldsScrollToKeepTheFocusInSight() {
        let beam = panel(.beam, focus: .stop) {
            $0.stop = ["\n\n", "END"]
            $0.seed = 42
        }
        #expect(render(beam, width: 34, height: 8).text == """
            ┌─ Parameters ──────────────────↑┐
            │Seqs    ━━━━━●───────────      3│
            │Beams   ━━━━●────────────      5│
            │No-rep  ━━━●─────────────      2│
            │Rep-pen ━━━━━●───────────   1.00│
            │Seed    42                      │
            │Stop    \\n\\n|END                │
            └────────────────────────────────┘
            """)
        var top = beam
        top.perform(.focus(.mode))
        #expect(render(top, width: 34, height: 8).text == """
            ┌─ Parameters ───────────────────┐
            │Mode    sample-top-p            │
            │        sample-top-k sample beam│
            │        greedy                  │
            │Temp    ━━━━━●───────────   0.70│
            │Top-p   ━━━━━━━━━━━━━━━●─   0.92│
            │Top-k   ━━●──────────────     50│
            └───────────────────────────────↓┘
            """)
    }

    @Test func anEntryShowsTheTypedTextWithTheCursorAfterIt() {
        var typing = panel(.sampleTopP, focus: .stop) { $0.stop = ["\n\n", "END"] }
        typing.perform(.beginTyping)
        typing.perform(.type("|日本語テキスト"))
        let screen = render(typing, width: 34, height: 8)
        #expect(screen.text.contains("│Stop    \\n\\n|END|日本語テキスト │"))
        #expect(screen.cursor?.row == 6)
        #expect(screen.cursor?.column == 32)
        #expect(screen[6, 9].style == .panelFocused)
        // Longer text keeps its end in sight.
        typing.perform(.type("0123456789"))
        let scrolled = render(typing, width: 34, height: 8)
        #expect(scrolled.text.contains("│Stop    本語テキスト0123456789  │"))
        #expect(render(typing, width: 34, height: 8, focused: false).cursor == nil)
    }

    @Test func aRefusedValueIsExplainedUnderTheFields() {
        var typing = ParameterPanel()
        typing.perform(.focus(.numReturnSequences))
        typing.perform(.type("12"))
        typing.perform(.commitTyping)
        let spare = render(typing, width: 30, height: 17)
        #expect(spare.text.hasSuffix("""
            │Seqs    12                  │
            │Beams   ━━━●─────────      5│
            │No-rep  ●────────────    off│
            │Rep-pen ━━━━●────────   1.00│
            │Seed    random              │
            │Stop    none                │
            │num_return_sequences: a     │
            │whole number from 1 to 8    │
            └────────────────────────────┘
            """))
        #expect(spare[15, 1].style == .error)
        #expect(spare.cursor?.row == 8)
        #expect(spare.cursor?.column == 11)
    }

    @Test func withNoRowFreeTheMessageGoesOnTheBottomBorder() {
        var beam = panel(.beam, focus: .numBeams)
        beam.perform(.decrease(.coarse))
        beam.perform(.decrease(.coarse))
        let screen = render(beam, width: 34, height: 8)
        #expect(screen.text.hasSuffix("\n└─sequences lowered to 1: beam …↓┘"))
        #expect(screen[7, 2].style == .warning)
    }

    @Test func tinyPanelsDrawWhatFits() {
        #expect(render(ParameterPanel(), width: 0, height: 0).text == "")
        #expect(render(ParameterPanel(), width: 1, height: 1).text == "M")
        #expect(render(ParameterPanel(), width: 24, height: 2).text == "Mode    sample-top-p\n        sample-top-k")
        #expect(render(ParameterPanel(), width: 13, height: 4).text == """
            ┌─ Paramet…─┐
            │Mode    sa…│
            │        sa…│
            └──────────↓┘
            """)
        #expect(render(ParameterPanel(), width: 60, height: 1).text == "Mode    sample-top-p sample-top-k sample beam greedy")
    }

    /// At every size from nothing up, in every state, the panel stays inside its rectangle.
    @Test func nothingIsEverDrawnOutsideThePanel() {
        var states: [ParameterPanel] = DecodingMode.allCases.map { panel($0, focus: .maxLength) }
        var typing = panel(.sample, focus: .stop)
        typing.perform(.type("日本|👍|\n"))
        states.append(typing)
        var refused = typing
        refused.perform(.type("|"))
        refused.perform(.commitTyping)
        states.append(refused)
        var background = Screen(width: 90, height: 20)
        background.fill(background.bounds, with: "x", style: .dim)
        for state in states {
            for width in Array(0...34) + [40, 51, 52, 60, 80] {
                for height in Array(0...12) + [19] {
                    let rect = Rect(row: 2, column: 3, width: width, height: height)
                    var screen = background
                    state.draw(into: &screen, rect: rect, focused: true)
                    var touched: (row: Int, column: Int)?
                    for row in 0..<screen.height {
                        for column in 0..<screen.width where !rect.contains(row: row, column: column) {
                            if screen[row, column] != background[row, column] { touched = (row, column) }
                        }
                    }
                    #expect(touched == nil, "\(width)×\(height): \(String(describing: touched))")
                    if let cursor = screen.cursor {
                        #expect(rect.contains(row: cursor.row, column: cursor.column))
                    }
                }
            }
        }
    }
}
