import Testing
@testable import Playground

/// The main screens, compared with recorded snapshots (text and styles).
@Suite struct PlaygroundSnapshotTests {
    @Test func empty80x24() {
        expectSnapshot(PlaygroundView.render(PlaygroundFixtures.ready()), named: "empty-80x24")
    }

    @Test func typing() {
        var state = PlaygroundFixtures.ready()
        for c in "ROMEO:\nBut soft" { _ = state.update(.input(.key(c == "\n" ? KeyPress(.enter) : .char(c)))) }
        _ = state.update(.promptTokens(5))
        expectSnapshot(PlaygroundView.render(state), named: "typing-80x24")
    }

    @Test func generatingThreeColumns() {
        var state = PlaygroundFixtures.ready(width: 100, height: 30, prompt: "ROMEO:")
        _ = state.update(.input(.key(.ctrl("r"))))
        PlaygroundFixtures.stream(PlaygroundFixtures.continuations, into: &state, finish: false)
        expectSnapshot(PlaygroundView.render(state), named: "generating-100x30")
    }

    @Test func finishedNarrow() {
        var state = PlaygroundFixtures.ready(prompt: "ROMEO:")
        _ = state.update(.input(.key(.ctrl("r"))))
        PlaygroundFixtures.stream(PlaygroundFixtures.continuations, into: &state)
        expectSnapshot(PlaygroundView.render(state), named: "finished-80x24")
    }

    @Test func finishedWide() {
        var state = PlaygroundFixtures.ready(width: 200, height: 50, prompt: "ROMEO:")
        _ = state.update(.input(.key(.ctrl("r"))))
        PlaygroundFixtures.stream(PlaygroundFixtures.continuations, into: &state)
        expectSnapshot(PlaygroundView.render(state), named: "finished-200x50")
    }

    @Test func help() {
        var state = PlaygroundFixtures.ready()
        _ = state.update(.input(.key(KeyPress(.function(1)))))
        expectSnapshot(PlaygroundView.render(state), named: "help-80x24")
    }

    @Test func cjkAndEmojiPrompt() {
        var state = PlaygroundFixtures.ready(prompt: "日本語のテキスト 😀👍🏽 e\u{301}t\u{E9} — 한국어 🇯🇵")
        _ = state.update(.input(.key(.ctrl("r"))))
        PlaygroundFixtures.stream(["東京は 🌸 美しい", "naïve café", "👨‍👩‍👧 family"], into: &state)
        expectSnapshot(PlaygroundView.render(state), named: "cjk-emoji-80x24")
    }

    @Test func tokenInsight() {
        var state = PlaygroundFixtures.ready(width: 100, height: 30, prompt: "ROMEO:")
        _ = state.update(.input(.key(.ctrl("r"))))
        PlaygroundFixtures.stream(PlaygroundFixtures.continuations, into: &state)
        _ = state.update(.input(.key(KeyPress(.function(4)))))
        state.focus = .columns
        _ = state.update(.input(.key(.char("["))))
        expectSnapshot(PlaygroundView.render(state), named: "token-insight-100x30")
    }

    @Test func eightColumnsPageOnANarrowTerminal() {
        var state = PlaygroundFixtures.ready(prompt: "x")
        state.panel.perform(.load({ var p = state.panel.parameters; p.numReturnSequences = 8; return p }()))
        _ = state.update(.input(.key(.ctrl("r"))))
        PlaygroundFixtures.stream(Array(repeating: "word", count: 8), into: &state)
        expectSnapshot(PlaygroundView.render(state), named: "eight-columns-80x24", styles: false)
    }

    @Test func loadingAndFailedModel() {
        var state = PlaygroundState(width: 80, height: 24, model: .loading(name: "gpt2"))
        expectSnapshot(PlaygroundView.render(state), named: "loading-80x24", styles: false)
        _ = state.update(.modelFailed(message: "gpt2 is not downloaded; run `gpt2-tui download gpt2`", hint: "Download it with `gpt2-tui download gpt2` (or F8), or pick another with --model."))
        expectSnapshot(PlaygroundView.render(state), named: "failed-80x24", styles: false)
    }

    @Test func tooSmall() {
        expectSnapshot(PlaygroundView.render(PlaygroundFixtures.ready(width: 40, height: 10)), named: "too-small-40x10", styles: false)
    }

    @Test func degenerateSizesNeverCrash() {
        for (w, h) in [(0, 0), (1, 1), (2, 50), (300, 2), (59, 16), (60, 15), (60, 16), (109, 16), (110, 16)] {
            var state = PlaygroundFixtures.ready(width: w, height: h, prompt: "日本 abc")
            _ = state.update(.input(.key(.ctrl("r"))))
            PlaygroundFixtures.stream(PlaygroundFixtures.continuations, into: &state)
            let screen = PlaygroundView.render(state)
            #expect(screen.width == w && screen.height == h)
        }
    }
}
