import Foundation
import Testing
@testable import GPT2
@testable import Playground

@Suite struct PlaygroundUpdateTests {
    @Test func typingGoesToThePromptAndRunStartsARequest() {
        var state = PlaygroundFixtures.ready()
        for c in "Hello?" { _ = state.update(.input(.key(.char(c)))) }
        #expect(state.editor.text == "Hello?")
        #expect(!state.showHelp)
        let effects = state.update(.input(.key(.ctrl("r"))))
        guard case .startRun(let id, let request)? = effects.first else {
            Issue.record("no run started: \(effects)")
            return
        }
        #expect(id == 1 && request.input == "Hello?")
        #expect(request.parameters.numReturnSequences == 3)
        #expect(state.run?.columns.count == 3)
        #expect(request.parameters.seed != nil, "the playground draws the seed, so it is known from the start")
        guard case .startRun(2, let again)? = state.update(.input(.key(KeyPress(.function(5))))).first else {
            Issue.record("F5 did not run again")
            return
        }
        #expect(again.input == "Hello?" && again.parameters.seed != request.parameters.seed)
    }

    @Test func eventsOfAnOlderRunAreIgnored() {
        var state = PlaygroundFixtures.ready(prompt: "a")
        _ = state.update(.input(.key(.ctrl("r"))))
        _ = state.update(.input(.key(.ctrl("r"))))
        _ = state.update(.engine(runID: 1, .token(sequence: 0, ShownToken(text: "x", probability: 1), logprob: 0)))
        #expect(state.run?.columns[0].tokens.isEmpty == true)
        _ = state.update(.engine(runID: 2, .token(sequence: 0, ShownToken(text: "y", probability: 1), logprob: 0)))
        #expect(state.run?.columns[0].text == "y")
    }

    @Test func escStopsARunningRunAndFinishingSavesHistory() {
        var state = PlaygroundFixtures.ready(prompt: "ROMEO:")
        _ = state.update(.input(.key(.ctrl("r"))))
        PlaygroundFixtures.stream(PlaygroundFixtures.continuations, into: &state, finish: false)
        #expect(state.isRunning)
        #expect(state.update(.input(.key(KeyPress(.escape)))) == [.cancelRun])
        guard let id = state.run?.id, let plan = try? PromptPlan(promptTokens: [1], maxLength: 5, contextSize: 64, endOfText: nil) else { return }
        let result = GenerationResult(prompt: "ROMEO:", plan: plan, parameters: state.panel.parameters, seed: 9, sequences: [],
                                      timing: GenerationTiming(prefillMilliseconds: 0, decodeMilliseconds: 0, generatedTokens: 0))
        #expect(state.update(.engine(runID: id, .finished(result))) == [.saveHistory(result)])
        #expect(!state.isRunning)
        #expect(state.run?.seed == 9)
    }

    @Test func aSliderMovedDuringARunAppliesLive() {
        var state = PlaygroundFixtures.ready(prompt: "x")
        _ = state.update(.input(.key(.ctrl("r"))))
        _ = state.update(.input(.key(KeyPress(.tab))))
        #expect(state.focus == .parameters)
        // From the mode selector down to the temperature, then one fine step up.
        _ = state.update(.input(.key(KeyPress(.down))))
        #expect(state.panel.focus == .temperature)
        let effects = state.update(.input(.key(KeyPress(.right))))
        var expected = state.panel.parameters
        expected.seed = state.run?.request.parameters.seed
        #expect(effects == [.updateParameters(expected)])
        #expect(abs(state.panel.parameters.temperature - 0.75) < 1e-9)
    }

    @Test func changesThatNeedANewRunAreNotSentLive() {
        var state = PlaygroundFixtures.ready(prompt: "x")
        _ = state.update(.input(.key(.ctrl("r"))))
        _ = state.update(.input(.key(KeyPress(.tab))))
        let effects = state.update(.input(.key(.char("m"))))
        #expect(effects.isEmpty)
        #expect(state.notice?.text.contains("next run") == true)
    }

    @Test func autoRerunWaitsForTheSliderToSettleAndKeepsTheSeed() {
        var state = PlaygroundFixtures.ready(prompt: "x")
        _ = state.update(.input(.key(.ctrl("r"))))
        PlaygroundFixtures.stream(["a b c"], into: &state)
        _ = state.update(.input(.key(KeyPress(.function(2)))))
        #expect(state.autoRerun)
        _ = state.update(.input(.key(KeyPress(.tab))))
        _ = state.update(.input(.key(KeyPress(.down))))
        _ = state.update(.tick(now: 10))
        _ = state.update(.input(.key(KeyPress(.right))))
        #expect(state.update(.tick(now: 10.1)).isEmpty)
        let effects = state.update(.tick(now: 11))
        guard case .startRun(_, let request)? = effects.first else {
            Issue.record("no re-run: \(effects)")
            return
        }
        #expect(request.parameters.seed == 1234)
        #expect(abs(request.parameters.temperature - 0.75) < 1e-9)
    }

    @Test func runWhileLoadingStartsOnceTheModelIsReady() {
        var state = PlaygroundState(width: 80, height: 24, model: .loading(name: "gpt2"))
        for c in "hi" { _ = state.update(.input(.key(.char(c)))) }
        #expect(state.update(.input(.key(.ctrl("r")))).isEmpty)
        #expect(state.editor.text == "hi")
        let effects = state.update(.modelLoaded(PlaygroundFixtures.summary))
        #expect(effects.count == 1)
        #expect(state.run?.request.input == "hi")
    }

    @Test func aFailedModelSaysHowToFixItWhenRunIsPressed() {
        var state = PlaygroundState(width: 80, height: 24, model: .loading(name: "gpt2"))
        _ = state.update(.modelFailed(message: "gpt2 is not downloaded", hint: "run `gpt2-tui download gpt2`"))
        #expect(state.update(.input(.key(.ctrl("r")))).isEmpty)
        #expect(state.notice?.text == "run `gpt2-tui download gpt2`")
    }

    @Test func columnKeysCopySavePromoteAndScroll() {
        var state = PlaygroundFixtures.ready(prompt: "ROMEO:")
        _ = state.update(.input(.key(.ctrl("r"))))
        PlaygroundFixtures.stream(PlaygroundFixtures.continuations.map { String(repeating: $0 + " ", count: 3) }, into: &state)
        _ = state.update(.input(.key(KeyPress(.tab, [.shift]))))
        #expect(state.focus == .columns)
        _ = state.update(.input(.key(KeyPress(.right))))
        #expect(state.columns.focusedColumn == 1)
        let text = state.run?.columns[1].text ?? ""
        #expect(state.update(.input(.key(.char("c")))) == [.copyToClipboard(text, what: "column 2")])
        #expect(state.update(.input(.key(.char("s")))) == [.saveText("ROMEO:" + text, suggestedName: "gpt2-tui-run1-2.txt")])
        _ = state.update(.input(.key(KeyPress(.up))))
        #expect(state.run?.columns[1].scrollRow != nil)
        _ = state.update(.input(.key(KeyPress(.end))))
        #expect(state.run?.columns[1].scrollRow == nil)
        _ = state.update(.input(.key(.char("p"))))
        #expect(state.editor.text == "ROMEO:" + text)
        #expect(state.focus == .prompt)
    }

    @Test func helpOpensClosesAndScrolls() {
        var state = PlaygroundFixtures.ready()
        _ = state.update(.input(.key(KeyPress(.function(1)))))
        #expect(state.showHelp)
        _ = state.update(.input(.key(KeyPress(.down))))
        #expect(state.helpScroll == 1)
        _ = state.update(.input(.key(KeyPress(.escape))))
        #expect(!state.showHelp)
        // "?" is text in the prompt, help elsewhere.
        _ = state.update(.input(.key(.char("?"))))
        #expect(!state.showHelp && state.editor.text == "?")
        _ = state.update(.input(.key(KeyPress(.tab))))
        _ = state.update(.input(.key(.char("?"))))
        #expect(state.showHelp)
    }

    @Test func upOnTheFirstLineRecallsEarlierPrompts() {
        var state = PlaygroundFixtures.ready(prompt: "first")
        _ = state.update(.input(.key(.ctrl("r"))))
        _ = state.update(.input(.key(.ctrl("u"))))
        for c in "draft" { _ = state.update(.input(.key(.char(c)))) }
        _ = state.update(.input(.key(KeyPress(.up))))
        #expect(state.editor.text == "first")
        _ = state.update(.input(.key(KeyPress(.down))))
        #expect(state.editor.text == "draft")
    }

    @Test func quitCancelsARunningRun() {
        var state = PlaygroundFixtures.ready(prompt: "x")
        _ = state.update(.input(.key(.ctrl("r"))))
        #expect(state.update(.input(.key(.ctrl("q")))) == [.cancelRun, .quit])
    }

    @Test func copyAsRequestAndCurl() {
        var state = PlaygroundFixtures.ready(prompt: "it's")
        guard case .copyToClipboard(let json, _)? = state.update(.input(.key(.alt("j")))).first else {
            Issue.record("nothing copied")
            return
        }
        let parsed = try? GenerationRequest(json: Data(json.utf8))
        #expect(parsed?.input == "it's")
        guard case .copyToClipboard(let curl, _)? = state.update(.input(.key(.alt("c")))).first else {
            Issue.record("nothing copied")
            return
        }
        #expect(curl.hasPrefix("curl "))
    }

    @Test func everyActionCanBePerformedInEveryStateWithoutTrouble() {
        for focus in [Focus.prompt, .parameters, .columns] {
            var state = PlaygroundFixtures.ready(prompt: "abc def")
            _ = state.update(.input(.key(.ctrl("r"))))
            PlaygroundFixtures.stream(PlaygroundFixtures.continuations, into: &state)
            state.focus = focus
            for action in Action.allCases where action != .quit {
                _ = state.perform(action)
                _ = PlaygroundView.render(state)
                state.showHelp = false
            }
        }
    }

    @Test func aFailedDownloadGoesBackToTheModelInUse() {
        var state = PlaygroundFixtures.ready()
        #expect(state.update(.input(.key(KeyPress(.function(8))))).isEmpty, "no download offered without a model to download")
        state.downloadableModel = "gpt2"
        #expect(state.update(.input(.key(KeyPress(.function(8))))) == [.downloadModel])
        _ = state.update(.downloadProgress(fraction: 0.5, detail: "gpt2/model.safetensors"))
        #expect(state.model == .downloading(name: "gpt2", progress: 0.5, detail: "gpt2/model.safetensors"))
        _ = state.update(.downloadFailed(message: "the hub answered 404", hint: nil))
        #expect(state.model == .ready(PlaygroundFixtures.summary))
        #expect(state.notice?.isError == true)
    }

    @Test func savingAPresetAsksForItsName() {
        var state = PlaygroundFixtures.ready()
        _ = state.update(.input(.key(.alt("s"))))
        #expect(state.presetNameEntry == "")
        for c in "calm" { _ = state.update(.input(.key(.char(c)))) }
        _ = state.update(.input(.key(KeyPress(.backspace))))
        #expect(state.editor.text.isEmpty, "the name does not go into the prompt")
        let effects = state.update(.input(.key(KeyPress(.enter))))
        #expect(effects == [.savePreset(name: "cal", state.panel.parameters)])
        #expect(state.presetNameEntry == nil)
        _ = state.update(.presetsSaved([Preset(name: "cal", parameters: state.panel.parameters)]))
        for _ in 0..<Preset.builtIns.count { _ = state.update(.input(.key(.alt("p")))) }
        _ = state.update(.input(.key(.alt("p"))))
        #expect(state.notice?.text == "preset: cal")
    }
}

/// Every default key, pressed where its action applies, does exactly what the action does.
@Suite struct KeyBindingUpdateTests {
    private func state(for context: KeyContext) -> PlaygroundState {
        var state = PlaygroundFixtures.ready(prompt: "some words here")
        _ = state.update(.input(.key(.ctrl("r"))))
        PlaygroundFixtures.stream(PlaygroundFixtures.continuations, into: &state)
        switch context {
        case .global, .columns: state.focus = .columns
        case .prompt: state.focus = .prompt
        case .parameters: state.focus = .parameters
        case .history:
            state.history = HistoryPanel(entries: [.unreadable(UnreadableHistoryFile(id: "x", reason: "r"))])
        }
        return state
    }

    @Test func everyBindingMatchesItsAction() {
        for action in Action.allCases {
            for key in Keymap.standard.keys[action] ?? [] {
                var byKey = state(for: action.context)
                var byAction = byKey
                let keyEffects = byKey.update(.input(.key(key)))
                let actionEffects = action.context == .history ? byAction.historyKey(key) : byAction.perform(action)
                #expect(keyEffects == actionEffects, "\(key) → \(action)")
                #expect(byKey == byAction, "\(key) → \(action)")
            }
        }
    }
}
