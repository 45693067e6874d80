import Testing
@testable import GPT2

@Suite struct LogitsProcessorTests {
    @Test func processedProbabilitiesEqualTransformers() throws {
        var total = 0
        for name in GoldenFixtures.modelNames {
            let golden = try GoldenFixtures.golden(name)
            for item in golden.processors {
                var scores = item.logits
                try LogitsProcessorChain(parameters: item.parameters).process(&scores, context: item.input_ids)
                let probabilities = TokenChoice.probabilities(scores)
                let error = maximumAbsoluteDifference(probabilities, item.probs)
                #expect(error <= 1e-6, "\(name)/\(item.name): max abs error \(error)")
                let keptByUs = probabilities.indices.filter { probabilities[$0] > 0 }
                let keptByTransformers = item.probs.indices.filter { item.probs[$0] > 0 }
                #expect(keptByUs == keptByTransformers, "\(name)/\(item.name): kept tokens differ")
                total += 1
            }
        }
        #expect(total >= 10)
    }

    @Test func topKKeepsTiesAtTheKthValue() throws {
        var scores: [Float] = [1, 3, 2, 2, 0]
        try TopKWarper(k: 2).process(&scores, context: [])
        #expect(scores == [-.infinity, 3, 2, 2, -.infinity])
    }

    @Test func topKOfOneIsArgmax() throws {
        var scores: [Float] = [0.5, 4, -1, 3.9]
        try TopKWarper(k: 1).process(&scores, context: [])
        #expect(TokenChoice.probabilities(scores) == [0, 1, 0, 0])
    }

    @Test func topPAlwaysKeepsTheMostLikelyToken() throws {
        var scores: [Float] = [0, 10, 0, 0]
        try TopPWarper(p: 0.01).process(&scores, context: [])
        #expect(scores.filter { $0 > -.infinity }.count == 1)
        #expect(scores[1] == 10)
    }

    @Test func repetitionPenaltyScalesEachSeenIdOnce() throws {
        var scores: [Float] = [2, -2, 4, 1]
        try RepetitionPenaltyProcessor(penalty: 2).process(&scores, context: [0, 1, 0, 0])
        #expect(scores == [1, -4, 4, 1])
    }

    @Test func noRepeatNgramBansWhatFollowedAnEarlierOccurrence() throws {
        let processor = try NoRepeatNGramProcessor(size: 3)
        // The suffix (5, 6) occurred before, followed by 7 and later by 9.
        #expect(processor.bannedTokens(context: [5, 6, 7, 1, 5, 6, 9, 2, 5, 6]).sorted() == [7, 9])
        #expect(processor.bannedTokens(context: [5]).isEmpty)
        let unigram = try NoRepeatNGramProcessor(size: 1)
        #expect(unigram.bannedTokens(context: [4, 2, 4]).sorted() == [2, 4, 4])
    }

    @Test func invalidParametersAreRefusedByName() {
        #expect(throws: GenerationError.invalidParameter(name: "top_p", reason: "must be in (0, 1], got 1.5")) {
            try TopPWarper(p: 1.5)
        }
        #expect(throws: GenerationError.self) { try TemperatureWarper(temperature: 0) }
        #expect(throws: GenerationError.self) { try TopKWarper(k: 0) }
        #expect(throws: GenerationError.self) { try RepetitionPenaltyProcessor(penalty: -1) }
        #expect(throws: GenerationError.self) { try NoRepeatNGramProcessor(size: 0) }
    }

    @Test func chainFollowsTheModesTable() throws {
        var p = GenerationParameters()
        p.mode = .sampleTopP
        #expect(try LogitsProcessorChain(parameters: p).processors.map { "\(type(of: $0))" } == ["TemperatureWarper", "TopPWarper"])
        p.mode = .sampleTopK
        #expect(try LogitsProcessorChain(parameters: p).processors.map { "\(type(of: $0))" } == ["TemperatureWarper", "TopKWarper"])
        p.mode = .beam
        p.repetitionPenalty = 1.2
        #expect(try LogitsProcessorChain(parameters: p).processors.map { "\(type(of: $0))" } == ["RepetitionPenaltyProcessor", "NoRepeatNGramProcessor"])
        p.mode = .greedy
        #expect(try LogitsProcessorChain(parameters: p).processors.map { "\(type(of: $0))" } == ["RepetitionPenaltyProcessor"])
    }
}
