import GPT2
import Testing
@testable import Playground

@Suite struct ParameterPanelTests {
    private func panel(_ mode: DecodingMode, focus: ParameterField? = nil) -> ParameterPanel {
        var p = GenerationParameters()
        p.mode = mode
        var panel = ParameterPanel(parameters: p)
        if let focus { panel.perform(.focus(focus)) }
        return panel
    }

    @Test func startsOnTheDefaultsWithTheModeFocused() {
        let panel = ParameterPanel()
        #expect(panel.parameters == GenerationParameters())
        #expect(panel.focus == .mode)
        #expect(panel.entry == nil)
        #expect(panel.message == nil)
    }

    @Test func focusVisitsOnlyTheFieldsOfTheModeAndWraps() {
        var panel = ParameterPanel()
        var order: [ParameterField] = []
        for _ in 0..<10 {
            panel.perform(.focusNext)
            order.append(panel.focus)
        }
        #expect(order == [.temperature, .topP, .maxLength, .numReturnSequences, .noRepeatNgramSize, .repetitionPenalty, .seed, .stop, .mode, .temperature])
        panel.perform(.focusPrevious)
        panel.perform(.focusPrevious)
        #expect(panel.focus == .stop)
        #expect(panel.activeFields == [.mode, .temperature, .topP, .maxLength, .numReturnSequences, .noRepeatNgramSize, .repetitionPenalty, .seed, .stop])
    }

    @Test func focusingAFieldTheModeDoesNotUseIsRefusedWithTheReason() {
        var panel = panel(.greedy)
        panel.perform(.focus(.temperature))
        #expect(panel.focus == .mode)
        #expect(panel.message == .init(text: "temperature does not apply in greedy mode (only in sample-top-p, sample-top-k, sample)", isError: true))
        panel.perform(.focus(.maxLength))
        #expect(panel.focus == .maxLength)
        #expect(panel.message == nil)
    }

    @Test func stepsMoveTheFocusedField() {
        var panel = panel(.sampleTopK, focus: .topK)
        let changed = panel.perform(.increase(.fine))
        #expect(changed)
        #expect(panel.parameters.topK == 51)
        panel.perform(.increase(.coarse))
        #expect(panel.parameters.topK == 60)
        panel.perform(.decrease(.coarse))
        panel.perform(.decrease(.fine))
        #expect(panel.parameters.topK == 49)
    }

    @Test func aStepAtTheEndOfTheRangeChangesNothing() {
        var panel = panel(.sampleTopP, focus: .topP)
        panel.perform(.increase(.coarse))
        let changed = panel.perform(.increase(.coarse))
        #expect(!changed)
        #expect(panel.parameters.topP == 1)
    }

    @Test func stepsOnTheStopStringsSayToTypeThem() {
        var panel = panel(.greedy, focus: .stop)
        let changed = panel.perform(.increase(.fine))
        #expect(!changed)
        #expect(panel.message == .init(text: "stop has no steps: type the value instead", isError: false))
    }

    @Test func modeStepsCycleTheModeAndMoveTheFocusOffFieldsThatStopApplying() {
        var panel = panel(.sample, focus: .topK)
        panel.perform(.cycleMode(forward: true))
        #expect(panel.parameters.mode == .beam)
        #expect(panel.focus == .maxLength)
        panel.perform(.focus(.mode))
        panel.perform(.increase(.fine))
        #expect(panel.parameters.mode == .greedy)
        panel.perform(.decrease(.fine))
        #expect(panel.parameters.mode == .beam)
    }

    @Test func raisingSequencesInBeamModeRaisesTheBeams() {
        var p = GenerationParameters()
        p.mode = .beam
        p.numBeams = 3
        var panel = ParameterPanel(parameters: p)
        panel.perform(.focus(.numReturnSequences))
        panel.perform(.increase(.fine))
        #expect(panel.parameters.numReturnSequences == 4)
        #expect(panel.parameters.numBeams == 4)
        #expect(panel.message == .init(text: "beams raised to 4 to cover 4 sequences", isError: false))
    }

    @Test func loweringBeamsBelowTheSequencesLowersTheSequences() {
        var panel = panel(.beam, focus: .numBeams)
        panel.perform(.decrease(.fine))
        panel.perform(.decrease(.fine))
        #expect(panel.parameters.numBeams == 3)
        #expect(panel.parameters.numReturnSequences == 3)
        panel.perform(.decrease(.fine))
        #expect(panel.parameters.numBeams == 2)
        #expect(panel.parameters.numReturnSequences == 2)
        #expect(panel.message == .init(text: "sequences lowered to 2: beam search returns at most num_beams", isError: false))
    }

    @Test func switchingToBeamModeRaisesTheBeamsToCoverTheSequences() {
        var p = GenerationParameters()
        p.mode = .greedy
        p.numBeams = 2
        p.numReturnSequences = 6
        var panel = ParameterPanel(parameters: p)
        panel.perform(.cycleMode(forward: false))
        #expect(panel.parameters.mode == .beam)
        #expect(panel.parameters.numBeams == 6)
        #expect(panel.parameters.numReturnSequences == 6)
    }

    @Test func resetsRestoreTheFocusedFieldOrEverything() {
        var panel = panel(.sampleTopP, focus: .temperature)
        panel.perform(.increase(.coarse))
        panel.perform(.focus(.maxLength))
        panel.perform(.increase(.coarse))
        panel.perform(.resetFocused)
        #expect(panel.parameters.maxLength == 100)
        #expect(panel.parameters.temperature == 0.75)
        let changed = panel.perform(.resetAll)
        #expect(changed)
        #expect(panel.parameters == GenerationParameters())
    }

    @Test func typingAnExactValueStartsFromTheCurrentOne() {
        var panel = panel(.sampleTopP, focus: .temperature)
        panel.perform(.beginTyping)
        #expect(panel.entry == .init(field: .temperature, text: "0.70"))
        panel.perform(.backspace)
        panel.perform(.type("3"))
        let changed = panel.perform(.commitTyping)
        #expect(changed)
        #expect(panel.parameters.temperature == 0.73)
        #expect(panel.entry == nil)
    }

    @Test func typingWithoutBeginningReplacesTheValue() {
        var panel = panel(.sampleTopP, focus: .maxLength)
        panel.perform(.type("2"))
        panel.perform(.type("50"))
        #expect(panel.isTyping)
        panel.perform(.commitTyping)
        #expect(panel.parameters.maxLength == 250)
    }

    @Test func aRefusedValueKeepsTheEntryOpenWithTheReason() {
        var panel = panel(.sampleTopP, focus: .numReturnSequences)
        panel.perform(.type("12"))
        let changed = panel.perform(.commitTyping)
        #expect(!changed)
        #expect(panel.entry == .init(field: .numReturnSequences, text: "12", error: "num_return_sequences: a whole number from 1 to 8"))
        panel.perform(.backspace)
        #expect(panel.entry?.error == nil)
        panel.perform(.commitTyping)
        #expect(panel.parameters.numReturnSequences == 1)
    }

    @Test func cancellingOrAnotherCommandDropsTheEntry() {
        var panel = panel(.sampleTopP, focus: .temperature)
        panel.perform(.type("1.5"))
        panel.perform(.cancelTyping)
        #expect(panel.entry == nil)
        panel.perform(.type("1.5"))
        panel.perform(.focusNext)
        #expect(panel.entry == nil)
        #expect(panel.parameters.temperature == 0.7)
        #expect(panel.focus == .topP)
    }

    @Test func backspaceAndCommitWithoutAnEntryDoNothing() {
        var panel = ParameterPanel()
        panel.perform(.backspace)
        let changed = panel.perform(.commitTyping)
        #expect(!changed)
        #expect(panel == ParameterPanel())
    }

    @Test func pastedNewlinesBecomeEscapesInStopStringsAndVanishElsewhere() {
        var panel = panel(.greedy, focus: .stop)
        panel.perform(.type("END\n\tx"))
        #expect(panel.entry?.text == #"END\n\tx"#)
        panel.perform(.commitTyping)
        #expect(panel.parameters.stop == ["END\n\tx"])
        panel.perform(.focus(.maxLength))
        panel.perform(.type("42\n"))
        #expect(panel.entry?.text == "42")
    }

    @Test func typingTheModeByName() {
        var panel = ParameterPanel()
        panel.perform(.type("greedy"))
        panel.perform(.commitTyping)
        #expect(panel.parameters.mode == .greedy)
    }

    @Test func aPresetReplacesEveryValueAndNamesTheTitleUntilSomethingChanges() throws {
        var panel = ParameterPanel()
        panel.perform(.focus(.maxLength))
        panel.perform(.increase(.coarse))
        let beam = try #require(Preset.builtIns.first { $0.name == "beam" })
        panel.perform(.applyPreset(beam))
        #expect(panel.parameters == beam.parameters)
        #expect(panel.presetName == "beam")
        #expect(panel.title == "Parameters · beam")
        panel.perform(.increase(.fine))
        #expect(panel.presetName == nil)
        #expect(panel.title == "Parameters")
    }

    @Test func loadedParametersAreHeldToThePanelsRanges() {
        var p = GenerationParameters()
        p.numReturnSequences = 12
        p.temperature = 4
        var panel = ParameterPanel()
        panel.perform(.load(p))
        #expect(panel.parameters.numReturnSequences == 8)
        #expect(panel.parameters.temperature == 2)
        #expect(panel.message == .init(text: "adjusted to the panel's ranges: temperature, num_return_sequences", isError: false))
        #expect(ParameterPanel(parameters: p).parameters == panel.parameters)
    }

    @Test func notANumberLoadsAsTheLowEndOfTheRangeAndSaysSo() {
        var p = GenerationParameters()
        p.topP = .nan
        let panel = ParameterPanel(parameters: GenerationParameters())
        var loaded = panel
        loaded.perform(.load(p))
        #expect(loaded.parameters.topP == 0.01)
        #expect(loaded.message == .init(text: "adjusted to the panel's ranges: top_p", isError: false))
    }

    @Test func liveUpdateTellsWhatARunningGenerationCanTake() {
        let running = GenerationParameters()
        var panel = ParameterPanel()
        #expect(panel.liveUpdate(from: running) == .unchanged)
        panel.perform(.focus(.temperature))
        panel.perform(.increase(.fine))
        #expect(panel.liveUpdate(from: running) == .applies)
        panel.perform(.focus(.numReturnSequences))
        panel.perform(.increase(.fine))
        #expect(panel.liveUpdate(from: running) == .needsRestart(
            "invalid num_return_sequences: cannot change during a run; restart the run to change it"))
    }

    /// Thousands of random commands (seeded) never leave invalid or out-of-range parameters.
    @Test func noCommandSequenceBreaksTheParameters() {
        var random = RandomSource(seed: 7)
        var panel = ParameterPanel()
        let rect = Rect(row: 2, column: 3, width: 30, height: 18)
        let texts = ["0", "1", "8", "0.5", "beam", "x", "|", "\\", "99999", "-1", "\n", "."]
        for _ in 0..<5000 {
            let command: ParameterPanel.Command
            switch random.next() % 16 {
            case 0: command = .focusNext
            case 1: command = .focusPrevious
            case 2: command = .focus(ParameterField.allCases[Int(random.next() % 11)])
            case 3: command = .increase(random.next() % 2 == 0 ? .fine : .coarse)
            case 4: command = .decrease(random.next() % 2 == 0 ? .fine : .coarse)
            case 5: command = .cycleMode(forward: random.next() % 2 == 0)
            case 6: command = .resetFocused
            case 7: command = .beginTyping
            case 8: command = .type(texts[Int(random.next() % UInt64(texts.count))])
            case 9: command = .backspace
            case 10, 11: command = .commitTyping
            case 12: command = .cancelTyping
            case 13: command = .applyPreset(Preset.builtIns[Int(random.next() % 5)])
            default:
                let actions: [MouseEvent.Action] = [.press, .drag, .release, .scrollUp, .scrollDown]
                let event = MouseEvent(actions[Int(random.next() % 5)], row: 2 + Int(random.next() % 18), column: 3 + Int(random.next() % 30))
                command = .mouse(event, panel: rect)
            }
            panel.perform(command)
            #expect(throws: Never.self) { try panel.parameters.validate() }
            #expect(ParameterField.clampedToRanges(panel.parameters).adjusted.isEmpty)
            #expect(panel.focus.applies(in: panel.parameters.mode))
        }
    }
}
