import Foundation
import GPT2
@testable import Playground

/// A fresh history folder under the system's temporary directory (never the user's home).
struct HistoryScratch {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-history-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    var historyFolder: URL { root.appendingPathComponent("data/gpt2-tui/history") }
    var store: HistoryStore { HistoryStore(folder: historyFolder) }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// Names of the record files in the history folder, sorted.
    func recordFileNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: historyFolder.path)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
    }

    /// Every file name in the history folder, hidden ones included, sorted.
    func allFileNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: historyFolder.path)) ?? []).sorted()
    }

    @discardableResult
    func writeFile(_ name: String, _ bytes: Data) throws -> URL {
        try FileManager.default.createDirectory(at: historyFolder, withIntermediateDirectories: true)
        let url = historyFolder.appendingPathComponent(name)
        try bytes.write(to: url)
        return url
    }
}

enum HistorySamples {
    static let model = HistoryModel(name: "tiny-a", file: "/models/tiny-a/model.safetensors",
                                    sha256: String(repeating: "ab", count: 32), precision: "fp32")

    /// A record with a value other than the default in every field, and the awkward ones:
    /// control characters, wide characters, a -inf log-probability, an empty sequence.
    static func record(prompt: String = "ROMEO:\n\t\"Wherefore\" art thou? 🌹 美 \u{2028}\u{1}",
                       createdAt: Date = Date(timeIntervalSince1970: 1_790_000_000.123),
                       outputs: [String] = ["Because I am here.", ""], title: String = "Balcony \"take\" 2",
                       tags: [String] = ["shakespeare", "good one"], starred: Bool = true) -> HistoryRecord {
        var parameters = GenerationParameters()
        parameters.mode = .sample
        parameters.maxLength = 37
        parameters.numReturnSequences = outputs.count
        parameters.temperature = 0.35
        parameters.topP = 0.5
        parameters.topK = 7
        parameters.numBeams = 4
        parameters.noRepeatNgramSize = 3
        parameters.repetitionPenalty = 1.3
        parameters.stop = ["\n\n", "END"]
        parameters.seed = nil
        let sequences = outputs.enumerated().map { i, text in
            text.isEmpty
                ? HistorySequence(text: "", tokenIDs: [], logprobs: [], meanLogprob: nil, score: 0,
                                  finishReason: .cancelled, tokensPerSecond: 0)
                : HistorySequence(text: text, tokenIDs: [Int32(i), 1023, 7], logprobs: [-0.125, -.infinity, -3.3333333],
                                  meanLogprob: -.infinity, score: -1.0e-7, finishReason: i == 0 ? .stop : .endOfText,
                                  tokensPerSecond: 123.456)
        }
        return HistoryRecord(
            id: HistoryID.make(at: createdAt), createdAt: createdAt, title: title, tags: tags, starred: starred,
            model: model, prompt: prompt, promptTokenIDs: [5, 6, 7], droppedPromptTokens: 2, parameters: parameters,
            seed: UInt64(Int64.max), sequences: sequences,
            timing: HistoryTiming(prefillMilliseconds: 3.25, decodeMilliseconds: 40.5, generatedTokens: 6))
    }
}

/// The tiny GPT-2 models the tests run.
enum HistoryFixtures {
    static let models = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/models")
    static let demo = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("weights/demo/shakespeare-q8_0.gguf")

    static func generator(_ name: String) throws -> TextGenerator {
        let folder = models.appendingPathComponent(name)
        let tokenizer = try GPT2Tokenizer(vocabURL: folder.appendingPathComponent("vocab.json"),
                                          mergesURL: folder.appendingPathComponent("merges.txt"))
        return TextGenerator(model: GPT2Model(weights: try GPT2Weights.load(huggingFaceFolder: folder)), tokenizer: tokenizer)
    }

    static func demoGenerator() throws -> TextGenerator {
        let tokenizer = try GPT2Tokenizer.load(gguf: GGUFFile(url: demo))
        let model = QuantizedGPT2Model(weights: try QuantizedGPT2Weights.load(ggufURL: demo), threads: 2)
        return TextGenerator(model: model, tokenizer: tokenizer)
    }
}
