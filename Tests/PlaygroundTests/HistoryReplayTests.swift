import Foundation
import GPT2
import Testing
@testable import Playground

/// A run saved, read back from its file and re-run from the record gives the saved text and
/// tokens exactly, on every fixture model and in every mode, also when the first run picked its
/// seed at random.
@Suite struct HistoryReplayTests {
    static let cases: [(String, DecodingMode)] = [
        ("tiny-a", .sampleTopP), ("tiny-a", .beam), ("tiny-b", .sampleTopK), ("tiny-b", .greedy), ("tiny-c", .sample),
    ]

    @Test(arguments: cases)
    func aRestoredRunReproducesItsText(model: String, mode: DecodingMode) throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let generator = try HistoryFixtures.generator(model)
        var parameters = GenerationParameters()
        parameters.mode = mode
        parameters.maxLength = 24
        parameters.numReturnSequences = 2
        parameters.numBeams = 3
        parameters.temperature = 1.3
        parameters.topK = 20
        parameters.topP = 0.9
        parameters.repetitionPenalty = 1.1
        parameters.stop = ["zz"]
        parameters.seed = nil  // picked at random: the record must keep the one used
        try replay(generator, prompt: "ROMEO: Good morrow", parameters: parameters, in: scratch, modelName: model)
    }

    @Test func aRestoredRunOnTheDemoModelReproducesItsText() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        var parameters = GenerationParameters()
        parameters.maxLength = 40
        parameters.numReturnSequences = 3
        parameters.seed = 1234
        try replay(try HistoryFixtures.demoGenerator(), prompt: "JULIET:\n", parameters: parameters, in: scratch, modelName: "demo")
    }

    private func replay(_ generator: TextGenerator, prompt: String, parameters: GenerationParameters,
                        in scratch: HistoryScratch, modelName: String) throws {
        let first = try generator.generate(prompt: prompt, parameters: parameters)
        let model = HistoryModel(name: modelName, file: "/w", sha256: String(repeating: "0", count: 64), precision: "fp32")
        let saved = try scratch.store.save(HistoryRecord(result: first, model: model))
        let restored = try scratch.store.record(id: try scratch.store.resolve(String(saved.id.prefix(25))))
        #expect(restored == saved)
        #expect(restored.seed == first.seed && restored.parameters == parameters)
        let request = restored.replayRequest
        let second = try generator.generate(prompt: request.input, parameters: request.parameters)
        #expect(second.sequences.map(\.text) == restored.sequences.map(\.text))
        #expect(second.sequences.map(\.tokenIDs) == restored.sequences.map(\.tokenIDs))
        #expect(second.sequences.map(\.logprobs) == restored.sequences.map(\.logprobs))
        #expect(second.sequences.map(\.text) == first.sequences.map(\.text))
        #expect(restored.promptTokenIDs == first.plan.tokens && restored.timing == HistoryTiming(first.timing))
        #expect(restored.sequences.map(\.finishReason) == first.sequences.map(\.finishReason))
    }
}
