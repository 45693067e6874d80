import Foundation
import GPT2

/// The three output formats of `generate`.
enum GenerateOutput {
    static func render(_ result: GenerationResult, format: GenerateCommand.Format, modelName: String) throws -> String {
        switch format {
        case .text:
            if result.sequences.count == 1 { return result.prompt + result.sequences[0].text }
            return result.sequences.enumerated().map { i, sequence in
                "── sequence \(i + 1) ──\n" + result.prompt + sequence.text
            }.joined(separator: "\n\n")
        case .json:
            return try JSONText.encode(result.sequences.map { result.prompt + $0.text })
        case .full:
            return try JSONText.encode(FullOutput(result, modelName: modelName))
        }
    }

    /// `--format full`: everything a script may want to check about a run.
    struct FullOutput: Encodable {
        struct Sequence: Encodable {
            var text: String
            var continuation: String
            var token_ids: [Int32]
            var logprobs: [Float]
            var score: Float
            var finish_reason: String
        }

        struct Timing: Encodable {
            var prefill_ms: Double
            var decode_ms: Double
            var decode_tokens_per_s: Double
        }

        var model: String
        var prompt_token_ids: [Int32]
        var dropped_prompt_tokens: Int
        var mode: String
        var seed: UInt64
        var sequences: [Sequence]
        var timing: Timing

        init(_ result: GenerationResult, modelName: String) {
            model = modelName
            prompt_token_ids = result.plan.tokens
            dropped_prompt_tokens = result.plan.droppedTokens
            mode = result.parameters.mode.rawValue
            seed = result.seed
            sequences = result.sequences.map {
                Sequence(text: result.prompt + $0.text, continuation: $0.text, token_ids: $0.tokenIDs,
                         logprobs: $0.logprobs, score: $0.score, finish_reason: $0.finishReason.rawValue)
            }
            timing = Timing(prefill_ms: result.timing.prefillMilliseconds, decode_ms: result.timing.decodeMilliseconds,
                            decode_tokens_per_s: result.timing.decodeTokensPerSecond)
        }
    }
}
