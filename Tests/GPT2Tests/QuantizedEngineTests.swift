import Foundation
import Testing
@testable import GPT2

/// The int8 engine against the fp32 engine (itself checked against transformers) on the fixtures.
@Suite struct QuantizedEngineTests {
    static func int8(_ name: String, threads: Int = 2) throws -> QuantizedGPT2Model {
        let fp32 = try GPT2Weights.load(huggingFaceFolder: GoldenFixtures.modelFolder(name))
        return QuantizedGPT2Model(weights: try QuantizedGPT2Weights(quantizing: fp32), threads: threads)
    }

    static func logits(_ model: LanguageModel, _ tokens: [Int32]) -> [Float] {
        model.forward(tokens: [tokens], caches: [model.makeCache(capacity: tokens.count)])[0]
    }

    /// KL(p ‖ q) of the next-token distributions of two logit vectors, in nats.
    static func divergence(_ reference: [Float], _ other: [Float]) -> Double {
        let p = TokenChoice.logSoftmax(reference), q = TokenChoice.logSoftmax(other)
        var kl = 0.0
        for i in p.indices { kl += exp(Double(p[i])) * Double(p[i] - q[i]) }
        return kl
    }

    @Test(arguments: GoldenFixtures.modelNames)
    func lastPositionLogitsStayCloseToFP32(model name: String) throws {
        let model = try Self.int8(name)
        for item in try GoldenFixtures.golden(name).logits {
            let logits = Self.logits(model, item.input_ids)
            let kl = Self.divergence(item.last_logits, logits)
            let maxError = maximumAbsoluteDifference(logits, item.last_logits)
            let meanError = zip(logits, item.last_logits).map { Double(abs($0 - $1)) }.reduce(0, +) / Double(logits.count)
            print("int8 vs fp32 \(name) \(item.input_ids.count) tokens: max abs \(maxError), mean abs \(meanError), KL \(kl) nats")
            #expect(kl < 0.01, "\(name): KL \(kl)")
        }
    }

    /// At every position of transformers' greedy continuations, fed to both engines, the two
    /// engines' most likely next tokens agree on at least 95% of positions.
    @Test func greedyTokensAgreeWithFP32OnAtLeast95PercentOfPositions() throws {
        var agree = 0, total = 0
        for name in GoldenFixtures.modelNames {
            let exact = try GoldenFixtures.model(name)
            let quantized = try Self.int8(name)
            for item in try GoldenFixtures.golden(name).generate where item.params.mode == "greedy" {
                let tokens = (item.truncated_input_ids ?? item.input_ids) + item.sequences[0]
                let prompt = (item.truncated_input_ids ?? item.input_ids).count
                let exactCache = exact.makeCache(capacity: tokens.count)
                let quantizedCache = quantized.makeCache(capacity: tokens.count)
                var a = exact.forward(tokens: [Array(tokens[..<prompt])], caches: [exactCache])[0]
                var b = quantized.forward(tokens: [Array(tokens[..<prompt])], caches: [quantizedCache])[0]
                for position in prompt..<tokens.count {
                    total += 1
                    if TokenChoice.argmax(a) == TokenChoice.argmax(b) { agree += 1 }
                    a = exact.forward(tokens: [[tokens[position]]], caches: [exactCache])[0]
                    b = quantized.forward(tokens: [[tokens[position]]], caches: [quantizedCache])[0]
                }
            }
        }
        print("int8 vs fp32 greedy agreement: \(agree) of \(total) positions")
        #expect(Double(agree) >= 0.95 * Double(total), "\(agree) of \(total)")
    }

    @Test func llamaCppsQ8FileGivesTheSameLogitsAsQuantizingTheFolder() throws {
        let fromFolder = try Self.int8("tiny-a")
        let fromFile = QuantizedGPT2Model(
            weights: try QuantizedGPT2Weights.load(ggufURL: GoldenFixtures.root.appendingPathComponent("gguf/tiny-a-q8_0.gguf")),
            threads: 2)
        for item in try GoldenFixtures.golden("tiny-a").logits {
            #expect(Self.logits(fromFolder, item.input_ids) == Self.logits(fromFile, item.input_ids))
        }
    }

    @Test func batchedSequencesGiveTheSameLogitsAsSeparateRuns() throws {
        let model = try Self.int8("tiny-b")
        let prompts = try GoldenFixtures.golden("tiny-b").logits.map(\.input_ids)
        let batched = model.forward(tokens: prompts, caches: prompts.map { model.makeCache(capacity: $0.count) })
        for (i, prompt) in prompts.enumerated() {
            #expect(maximumAbsoluteDifference(batched[i], Self.logits(model, prompt)) <= 1e-5)
        }
    }

    @Test(arguments: [1, 2, 3])
    func threadCountDoesNotChangeTheLogits(threads: Int) throws {
        let reference = try Self.int8("tiny-a", threads: 1)
        let model = try Self.int8("tiny-a", threads: threads)
        let prompt = try GoldenFixtures.golden("tiny-a").logits.map(\.input_ids).max { $0.count < $1.count } ?? []
        #expect(Self.logits(model, prompt) == Self.logits(reference, prompt))
    }

    @Test func greedyGenerationRunsOnTheInt8Engine() throws {
        let generator = TextGenerator(model: try Self.int8("tiny-a"), tokenizer: try GoldenFixtures.tokenizer("tiny-a"))
        var p = GenerationParameters()
        p.mode = .beam
        p.numBeams = 3
        p.numReturnSequences = 2
        p.maxLength = 12
        let result = try generator.generate(prompt: "ROMEO:", parameters: p)
        #expect(result.sequences.count == 2)
        #expect(result.sequences.allSatisfy { !$0.tokenIDs.isEmpty })
    }
}
