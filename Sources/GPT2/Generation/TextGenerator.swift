import Foundation

/// One returned continuation.
public struct GeneratedSequence: Sendable, Equatable {
    /// The continuation's text (without the prompt, cut before a stop string).
    public var text: String
    /// New token ids, including a final `<|endoftext|>` when the model emitted one.
    public var tokenIDs: [Int32]
    /// log-probability of each new token under the model's own distribution.
    public var logprobs: [Float]
    /// Beam search: transformers' sequence score. Otherwise: the mean log-probability.
    public var score: Float
    public var finishReason: FinishReason
}

public struct GenerationTiming: Sendable, Equatable {
    public var prefillMilliseconds: Double
    public var decodeMilliseconds: Double
    /// New tokens of all sequences together.
    public var generatedTokens: Int

    public var decodeTokensPerSecond: Double {
        decodeMilliseconds > 0 ? Double(generatedTokens) / (decodeMilliseconds / 1000) : 0
    }
}

public struct GenerationResult: Sendable, Equatable {
    public var prompt: String
    public var plan: PromptPlan
    public var parameters: GenerationParameters
    /// The seed the run used (drawn at random when the request had none).
    public var seed: UInt64
    public var sequences: [GeneratedSequence]
    public var timing: GenerationTiming

    /// New tokens per second of decoding, for one sequence.
    public func tokensPerSecond(sequence: Int) -> Double {
        guard sequences.indices.contains(sequence), timing.decodeMilliseconds > 0 else { return 0 }
        return Double(sequences[sequence].tokenIDs.count) / (timing.decodeMilliseconds / 1000)
    }
}

/// Text in, continuations out, in one call: a `GenerationRun` driven to its end.
public struct TextGenerator {
    public let model: LanguageModel
    public let tokenizer: GPT2Tokenizer

    public init(model: LanguageModel, tokenizer: GPT2Tokenizer) {
        self.model = model
        self.tokenizer = tokenizer
    }

    public func generate(
        prompt: String, parameters: GenerationParameters, onEvent: (GenerationEvent) -> Void = { _ in }
    ) throws(GenerationError) -> GenerationResult {
        let run = try GenerationRun(
            model: model, tokenizer: tokenizer, prompt: prompt, parameters: parameters,
            seed: parameters.seed ?? GenerationRun.randomSeed())
        run.openingEvents.forEach(onEvent)
        while !run.isFinished { run.step().forEach(onEvent) }
        return run.result
    }
}

extension GenerationRun {
    /// A seed for a request that gave none.
    public static func randomSeed() -> UInt64 { UInt64.random(in: 0...UInt64(Int64.max)) }
}
