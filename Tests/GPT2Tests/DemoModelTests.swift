import Foundation
import Testing
@testable import GPT2

/// The small Shakespeare model that ships in weights/demo/ so the playground works offline.
@Suite struct DemoModelTests {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("weights/demo/shakespeare-q8_0.gguf")

    @Test func configIsTheSmallModelWithItsOwnVocabulary() throws {
        let config = try GPT2Config.load(gguf: GGUFFile(url: Self.url))
        #expect(config.vocabSize == 4096)
        #expect(config.nLayer == 4)
        #expect(config.nEmbd % 32 == 0)
        #expect(config.nEmbd % config.nHead == 0)
        #expect(config.nPositions >= 128)

        let tokenizer = try GPT2Tokenizer.load(gguf: GGUFFile(url: Self.url))
        #expect(tokenizer.vocabularySize == config.vocabSize)
        #expect(tokenizer.endOfTextID == Int32(config.vocabSize - 1))
        #expect(tokenizer.decode(tokenizer.encode("ROMEO:\nWherefore art thou?")) == "ROMEO:\nWherefore art thou?")
    }

    @Test func greedyGenerationGivesPrintableText() throws {
        let model = QuantizedGPT2Model(weights: try QuantizedGPT2Weights.load(ggufURL: Self.url), threads: 2)
        let generator = TextGenerator(model: model, tokenizer: try GPT2Tokenizer.load(gguf: GGUFFile(url: Self.url)))
        var parameters = GenerationParameters()
        parameters.mode = .greedy
        parameters.numReturnSequences = 1
        parameters.maxLength = 40
        let result = try generator.generate(prompt: "ROMEO:", parameters: parameters)
        let sequence = try #require(result.sequences.first)
        print("demo model, greedy after \"ROMEO:\": \(sequence.text.debugDescription)")
        #expect(sequence.tokenIDs.count == 40 || sequence.finishReason == .endOfText)
        #expect(!sequence.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let printable = sequence.text.unicodeScalars.allSatisfy { $0 == "\n" || $0 == "\t" || (0x20..<0x7F).contains($0.value) }
        #expect(printable, "\(sequence.text.debugDescription)")
    }
}
