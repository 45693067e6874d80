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

public struct GenerationResult: Sendable {
    public var prompt: String
    public var plan: PromptPlan
    public var parameters: GenerationParameters
    /// The seed the run used (drawn at random when the request had none).
    public var seed: UInt64
    public var sequences: [GeneratedSequence]
    public var timing: GenerationTiming
}

/// Something that happened during a run, in order.
public enum GenerationEvent: Sendable, Equatable {
    /// A token was appended to a sequence; `text` is the part of the continuation it made certain
    /// (whole characters only, held back while it may be the start of a stop string).
    case token(GeneratedToken, text: String)
    case finished(sequence: Int, reason: FinishReason)
}

/// Text in, continuations out: tokenizes, fits the context, runs the right decoder, detokenizes.
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
        try parameters.validate()
        let plan = try PromptPlan(
            promptTokens: tokenizer.encode(prompt), maxLength: parameters.maxLength,
            contextSize: model.config.nPositions, endOfText: tokenizer.endOfTextID)
        var effective = parameters
        effective.maxLength = plan.maxNewTokens
        let seed = parameters.seed ?? UInt64.random(in: 0...UInt64(Int64.max))
        let result: (sequences: [GeneratedSequence], timing: GenerationTiming)
        if parameters.mode == .beam {
            result = try beamSearch(plan: plan, parameters: effective, onEvent: onEvent)
        } else {
            result = try sampleOrGreedy(plan: plan, parameters: effective, seed: seed, onEvent: onEvent)
        }
        return GenerationResult(
            prompt: prompt, plan: plan, parameters: parameters, seed: seed,
            sequences: result.sequences, timing: result.timing)
    }

    private func sampleOrGreedy(
        plan: PromptPlan, parameters: GenerationParameters, seed: UInt64, onEvent: (GenerationEvent) -> Void
    ) throws(GenerationError) -> (sequences: [GeneratedSequence], timing: GenerationTiming) {
        // Greedy gives every sequence the same tokens: compute one and hand out copies.
        let count = parameters.numReturnSequences
        let rows = parameters.mode == .greedy ? 1 : count
        let clock = ContinuousClock()
        let start = clock.now
        let decoder = try SamplingDecoder(
            model: model, prompt: plan.tokens, parameters: parameters, streams: Array(0..<rows),
            seed: seed, endOfText: tokenizer.endOfTextID)
        let prefillEnd = clock.now
        var characterDecoders = (0..<rows).map { _ in StreamingDecoder(tokenizer: tokenizer) }
        var texts = (0..<rows).map { _ in StoppableText(stops: parameters.stop) }
        var logprobs = Array(repeating: [Float](), count: rows)
        func emit(_ event: GenerationEvent) {
            guard rows != count else { return onEvent(event) }
            for s in 0..<count {
                switch event {
                case let .token(token, text):
                    var copy = token
                    copy.sequence = s
                    onEvent(.token(copy, text: text))
                case let .finished(_, reason):
                    onEvent(.finished(sequence: s, reason: reason))
                }
            }
        }
        while !decoder.isFinished {
            for token in decoder.step() {
                let s = token.sequence
                logprobs[s].append(token.logprob)
                var piece = ""
                if token.id != tokenizer.endOfTextID { piece = texts[s].append(characterDecoders[s].append(token.id)) }
                if texts[s].stopped { decoder.finish(s, reason: .stop) }
                if let reason = decoder.finishReasons[s], reason != .stop {
                    piece += texts[s].append(characterDecoders[s].finish())
                    piece += texts[s].finish()
                }
                emit(.token(token, text: piece))
                if let reason = decoder.finishReasons[s] { emit(.finished(sequence: s, reason: reason)) }
            }
        }
        let end = clock.now
        let sequences = (0..<rows).map { s in
            let tokenLogprobs = logprobs[s]
            let mean = tokenLogprobs.isEmpty ? 0 : tokenLogprobs.reduce(0, +) / Float(tokenLogprobs.count)
            return GeneratedSequence(
                text: texts[s].text, tokenIDs: decoder.tokens[s], logprobs: tokenLogprobs, score: mean,
                finishReason: decoder.finishReasons[s] ?? .length)
        }
        let all = rows == count ? sequences : Array(repeating: sequences[0], count: count)
        return (all, timing(start: start, prefillEnd: prefillEnd, end: end, tokens: all.reduce(0) { $0 + $1.tokenIDs.count }))
    }

    private func beamSearch(
        plan: PromptPlan, parameters: GenerationParameters, onEvent: (GenerationEvent) -> Void
    ) throws(GenerationError) -> (sequences: [GeneratedSequence], timing: GenerationTiming) {
        let clock = ContinuousClock()
        let start = clock.now
        let decoder = try BeamSearchDecoder(
            model: model, prompt: plan.tokens, parameters: parameters, endOfText: tokenizer.endOfTextID)
        let prefillEnd = clock.now
        while !decoder.isFinished { decoder.step() }
        let end = clock.now
        var steps = 0
        let sequences = decoder.results(count: parameters.numReturnSequences).enumerated().map { s, hypothesis in
            steps = max(steps, hypothesis.tokens.count)
            let textTokens = hypothesis.tokens.filter { $0 != tokenizer.endOfTextID }
            var text = StoppableText(stops: parameters.stop)
            var piece = text.append(tokenizer.decode(textTokens))
            piece += text.finish()
            let reason = text.stopped ? .stop : hypothesis.finishReason
            for (i, id) in hypothesis.tokens.enumerated() {
                let token = GeneratedToken(sequence: s, id: id, logprob: hypothesis.logprobs[i])
                onEvent(.token(token, text: i == hypothesis.tokens.count - 1 ? piece : ""))
            }
            onEvent(.finished(sequence: s, reason: reason))
            return GeneratedSequence(
                text: text.text, tokenIDs: hypothesis.tokens, logprobs: hypothesis.logprobs,
                score: hypothesis.score, finishReason: reason)
        }
        // Every beam advances together: the decode work is numBeams rows per step.
        return (sequences, timing(start: start, prefillEnd: prefillEnd, end: end, tokens: steps * parameters.numBeams))
    }

    private func timing(start: ContinuousClock.Instant, prefillEnd: ContinuousClock.Instant, end: ContinuousClock.Instant, tokens: Int) -> GenerationTiming {
        func milliseconds(_ d: Duration) -> Double {
            Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        }
        return GenerationTiming(
            prefillMilliseconds: milliseconds(prefillEnd - start),
            decodeMilliseconds: milliseconds(end - prefillEnd), generatedTokens: tokens)
    }
}
