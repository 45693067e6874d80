import Testing
@testable import GPT2

/// The fp32 engine against transformers on the same weights.
@Suite struct EngineGoldenTests {
    @Test(arguments: GoldenFixtures.modelNames)
    func lastPositionLogitsMatchTransformers(model name: String) throws {
        let model = try GoldenFixtures.model(name)
        let golden = try GoldenFixtures.golden(name)
        #expect(!golden.logits.isEmpty)
        for item in golden.logits {
            let cache = model.makeCache(capacity: item.input_ids.count)
            let logits = model.forward(tokens: [item.input_ids], caches: [cache])[0]
            let error = maximumAbsoluteDifference(logits, item.last_logits)
            #expect(error <= 1e-4, "\(name) prompt \(item.input_ids.count) tokens: max abs error \(error)")
        }
    }

    @Test(arguments: GoldenFixtures.modelNames)
    func tokenByTokenDecodingMatchesOnePassPrefill(model name: String) throws {
        let model = try GoldenFixtures.model(name)
        let golden = try GoldenFixtures.golden(name)
        guard let item = golden.logits.max(by: { $0.input_ids.count < $1.input_ids.count }) else { return }
        let cache = model.makeCache(capacity: 1)
        var logits: [Float] = []
        for id in item.input_ids { logits = model.forward(tokens: [[id]], caches: [cache])[0] }
        #expect(maximumAbsoluteDifference(logits, item.last_logits) <= 1e-4)
    }

    @Test func batchedRowsGiveTheSameLogitsAsSeparateRuns() throws {
        let model = try GoldenFixtures.model("tiny-a")
        let golden = try GoldenFixtures.golden("tiny-a")
        let prompts = golden.logits.map(\.input_ids)
        let caches = prompts.map { model.makeCache(capacity: $0.count) }
        let batched = model.forward(tokens: prompts, caches: caches)
        for (i, item) in golden.logits.enumerated() {
            #expect(maximumAbsoluteDifference(batched[i], item.last_logits) <= 1e-4)
        }
    }

    @Test(arguments: GoldenFixtures.modelNames)
    func greedyAndBeamTokensEqualTransformers(model name: String) throws {
        let model = try GoldenFixtures.model(name)
        let tokenizer = try GoldenFixtures.tokenizer(name)
        let golden = try GoldenFixtures.golden(name)
        #expect(golden.generate.contains { $0.params.mode == "beam" })
        for item in golden.generate {
            let parameters = item.parameters
            let plan = try PromptPlan(promptTokens: item.input_ids, maxLength: parameters.maxLength,
                                      contextSize: model.config.nPositions, endOfText: tokenizer.endOfTextID)
            #expect(plan.tokens == (item.truncated_input_ids ?? item.input_ids), "\(name)/\(item.name): prompt plan")
            let got: [[Int32]]
            var scores: [Float] = []
            if parameters.mode == .beam {
                let decoder = try BeamSearchDecoder(model: model, prompt: plan.tokens, parameters: parameters,
                                                    endOfText: tokenizer.endOfTextID)
                while !decoder.isFinished { decoder.step() }
                let results = decoder.results(count: parameters.numReturnSequences)
                got = results.map(\.tokens)
                scores = results.map(\.score)
            } else {
                let decoder = try SamplingDecoder(model: model, prompt: plan.tokens, parameters: parameters,
                                                  streams: [0], seed: 0, endOfText: tokenizer.endOfTextID)
                while !decoder.isFinished { _ = decoder.step() }
                got = Array(repeating: decoder.tokens[0], count: item.sequences.count)
            }
            #expect(got == item.sequences, "\(name)/\(item.name)")
            if let expected = item.sequences_scores {
                #expect(scores.count == expected.count)
                #expect(maximumAbsoluteDifference(scores, expected) <= 1e-4, "\(name)/\(item.name) scores \(scores) vs \(expected)")
            }
        }
    }
}
