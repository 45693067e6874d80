import Foundation
@testable import GPT2

/// The committed fixtures under Tests/Fixtures: tiny models and transformers' outputs on them.
enum GoldenFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static let modelNames = ["tiny-a", "tiny-b", "tiny-c"]

    static func modelFolder(_ name: String) -> URL {
        root.appendingPathComponent("models").appendingPathComponent(name)
    }

    static func model(_ name: String) throws -> GPT2Model {
        GPT2Model(weights: try GPT2Weights.load(huggingFaceFolder: modelFolder(name)))
    }

    static func tokenizer(_ name: String) throws -> GPT2Tokenizer {
        let folder = modelFolder(name)
        return try GPT2Tokenizer(
            vocabURL: folder.appendingPathComponent("vocab.json"),
            mergesURL: folder.appendingPathComponent("merges.txt"))
    }

    static func golden(_ name: String) throws -> Golden {
        let url = root.appendingPathComponent("golden").appendingPathComponent("\(name).json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    struct Golden: Decodable {
        var model: String
        var logits: [LogitsCase]
        var generate: [GenerateCase]
        var processors: [ProcessorCase]

        enum CodingKeys: String, CodingKey { case model, logits, generate, processors }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            model = try c.decode(String.self, forKey: .model)
            logits = try c.decode([LogitsCase].self, forKey: .logits)
            generate = try c.decode([GenerateCase].self, forKey: .generate)
            processors = try c.decodeIfPresent([ProcessorCase].self, forKey: .processors) ?? []
        }
    }

    struct LogitsCase: Decodable {
        var prompt: String
        var input_ids: [Int32]
        var last_logits: [Float]
    }

    struct GenerateCase: Decodable {
        struct Params: Decodable {
            var mode: String
            var max_new_tokens: Int
            var num_beams: Int?
            var num_return_sequences: Int?
            var no_repeat_ngram_size: Int?
            var repetition_penalty: Double?
        }

        var name: String
        var prompt: String
        var input_ids: [Int32]
        var truncated_input_ids: [Int32]?
        var params: Params
        var sequences: [[Int32]]
        var sequences_scores: [Float]?

        var parameters: GenerationParameters {
            var p = GenerationParameters()
            p.mode = params.mode == "beam" ? .beam : .greedy
            p.maxLength = params.max_new_tokens
            p.numBeams = params.num_beams ?? 1
            p.numReturnSequences = params.num_return_sequences ?? 1
            p.noRepeatNgramSize = params.no_repeat_ngram_size ?? 0
            p.repetitionPenalty = params.repetition_penalty ?? 1
            return p
        }
    }

    struct ProcessorCase: Decodable {
        struct Params: Decodable {
            var temperature: Double?
            var top_k: Int?
            var top_p: Double?
            var repetition_penalty: Double?
            var no_repeat_ngram_size: Int?
        }

        var name: String
        var input_ids: [Int32]
        var logits: [Float]
        var params: Params
        var probs: [Float]

        /// The same processors, through the product's parameters (mode `sample` enables every warper).
        var parameters: GenerationParameters {
            var p = GenerationParameters()
            p.mode = .sample
            p.temperature = params.temperature ?? 1
            p.topK = params.top_k ?? 0
            p.topP = params.top_p ?? 1
            p.repetitionPenalty = params.repetition_penalty ?? 1
            p.noRepeatNgramSize = params.no_repeat_ngram_size ?? 0
            return p
        }
    }
}

func maximumAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    var worst: Float = 0
    for (x, y) in zip(a, b) {
        if x == y { continue }  // also equal infinities
        worst = max(worst, abs(x - y))
    }
    return worst
}
