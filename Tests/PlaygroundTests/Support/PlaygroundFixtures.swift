@testable import GPT2
@testable import Playground

/// States and events for update and view tests, without a model.
enum PlaygroundFixtures {
    static let summary = ModelSummary(name: "tiny-a", precision: "int8 (Q8_0)", threads: 2, contextSize: 1024)

    static func ready(width: Int = 80, height: Int = 24, prompt: String = "") -> PlaygroundState {
        var state = PlaygroundState(width: width, height: height, model: .ready(summary), themeNames: ["default", "light"])
        if !prompt.isEmpty { _ = state.update(.input(.paste(prompt))) }
        return state
    }

    /// Feeds a whole scripted run into `state` as the engine would: `texts[i]` split into
    /// word tokens for column i.
    static func stream(_ texts: [String], into state: inout PlaygroundState, finish: Bool = true, time: Double = 1) {
        guard let run = state.run else { return }
        let id = run.id
        _ = state.update(.tick(now: time))
        _ = state.update(.engine(runID: id, .promptTokenized(count: 4, dropped: 0)))
        _ = state.update(.engine(runID: id, .prefillFinished(milliseconds: 3)))
        var sequences: [GeneratedSequence] = []
        for (s, text) in texts.enumerated() {
            let words = text.split(separator: " ").enumerated().map { $0.offset == 0 ? String($0.element) : " " + $0.element }
            for (i, word) in words.enumerated() {
                _ = state.update(.tick(now: time + Double(i) * 0.01))
                let token = ShownToken(text: word, probability: [0.9, 0.4, 0.1, 0.02][i % 4],
                                       alternatives: [.init(text: " the", probability: 0.3)])
                _ = state.update(.engine(runID: id, .token(sequence: s, token, logprob: -0.7)))
            }
            if finish {
                _ = state.update(.engine(runID: id, .sequenceFinished(sequence: s, reason: .length, text: "")))
            }
            sequences.append(GeneratedSequence(text: words.joined(), tokenIDs: words.indices.map { Int32($0) },
                                               logprobs: words.map { _ in -0.7 }, score: -0.7, finishReason: .length))
        }
        guard finish, let plan = try? PromptPlan(promptTokens: [1, 2, 3, 4], maxLength: run.request.parameters.maxLength, contextSize: 1024, endOfText: nil) else { return }
        let result = GenerationResult(prompt: run.request.input, plan: plan, parameters: run.request.parameters, seed: 1234,
                                      sequences: sequences, timing: GenerationTiming(prefillMilliseconds: 3, decodeMilliseconds: 100, generatedTokens: 30))
        _ = state.update(.engine(runID: id, .finished(result)))
    }

    static let continuations = [
        "But soft, what light through yonder window breaks? It is the east, and Juliet is the sun.",
        "Arise, fair sun, and kill the envious moon, who is already sick and pale with grief.",
        "That thou her maid art far more fair than she: be not her maid, since she is envious.",
    ]
}
