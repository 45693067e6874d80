/// Greedy and sampled decoding of several sequences from one prompt, one token per sequence and
/// step, all sequences sharing each forward pass.
///
/// `step()` first runs the model on the tokens chosen last step (for sequences still running),
/// then chooses the next token of each. A caller can finish a sequence between steps (a stop
/// string), and change the parameters between steps: they apply from the next token on.
public final class SamplingDecoder {
    public let model: LanguageModel
    public private(set) var parameters: GenerationParameters
    public private(set) var tokens: [[Int32]]          // new tokens of each sequence
    public private(set) var finishReasons: [FinishReason?]
    public let prompt: [Int32]
    private var processors: LogitsProcessorChain
    private var random: [RandomSource]
    private var caches: [KVCache]
    private var pendingLogits: [[Float]?]
    private let endOfText: Int32?

    /// Runs the prompt through the model once; its cache is shared out to one cache per row.
    /// Row i draws from the random stream `streams[i]` of the seed, so a column of an earlier run
    /// can be re-run alone (`streams: [i]`) and reproduce.
    public init(
        model: LanguageModel, prompt: [Int32], parameters: GenerationParameters, streams: [Int],
        seed: UInt64, endOfText: Int32?
    ) throws(GenerationError) {
        precondition(!prompt.isEmpty && !streams.isEmpty)
        let sequences = streams.count
        self.model = model
        self.parameters = parameters
        self.prompt = prompt
        self.endOfText = endOfText
        processors = try LogitsProcessorChain(parameters: parameters)
        random = streams.map { RandomSource(seed: seed, sequence: $0) }
        tokens = Array(repeating: [], count: sequences)
        finishReasons = Array(repeating: nil, count: sequences)
        let prefilled = model.prefill(
            prompt, copies: sequences, capacity: min(prompt.count + parameters.maxLength, model.config.nPositions))
        caches = prefilled.caches
        pendingLogits = Array(repeating: prefilled.logits, count: sequences)
    }

    public var isFinished: Bool { finishReasons.allSatisfy { $0 != nil } }

    /// How many of the model's most likely tokens each generated token reports.
    static let alternativeCount = 5

    /// Lets every sequence that stopped at the length limit go on for `count` more tokens, from
    /// where it stopped: its cache and random stream continue, so the result equals one longer run.
    public func extend(by count: Int) {
        parameters.maxLength += count
        for s in tokens.indices where finishReasons[s] == .length
            && prompt.count + tokens[s].count < model.config.nPositions {
            finishReasons[s] = nil
        }
    }

    /// Replaces the parameters from the next chosen token on (mode and sequence count stay).
    public func update(_ newParameters: GenerationParameters) throws(GenerationError) {
        try newParameters.validate()
        processors = try LogitsProcessorChain(parameters: newParameters)
        parameters = newParameters
        for s in tokens.indices where finishReasons[s] == nil && tokens[s].count >= newParameters.maxLength {
            finishReasons[s] = .length
        }
    }

    /// Ends sequence `index` (a stop string was found, or it was cancelled).
    public func finish(_ index: Int, reason: FinishReason) {
        if finishReasons[index] == nil { finishReasons[index] = reason }
    }

    /// Chooses one more token for every running sequence.
    public func step() -> [GeneratedToken] {
        let running = tokens.indices.filter { finishReasons[$0] == nil }
        let needForward = running.filter { pendingLogits[$0] == nil }
        if !needForward.isEmpty {
            let batch = needForward.map { [tokens[$0][tokens[$0].count - 1]] }
            let logits = model.forward(tokens: batch, caches: needForward.map { caches[$0] })
            for (i, s) in needForward.enumerated() { pendingLogits[s] = logits[i] }
        }
        var produced: [GeneratedToken] = []
        for s in running {
            guard let logits = pendingLogits[s] else { continue }
            pendingLogits[s] = nil
            var scores = logits
            processors.process(&scores, context: prompt + tokens[s])
            let id = parameters.mode.isSampling
                ? TokenChoice.sample(scores, using: &random[s])
                : TokenChoice.argmax(scores)
            let logprobs = TokenChoice.logSoftmax(logits)
            tokens[s].append(Int32(id))
            produced.append(GeneratedToken(
                sequence: s, id: Int32(id), logprob: logprobs[id],
                alternatives: TokenChoice.alternatives(logprobs, count: Self.alternativeCount)))
            if Int32(id) == endOfText {
                finishReasons[s] = .endOfText
            } else if tokens[s].count >= parameters.maxLength
                        || prompt.count + tokens[s].count >= model.config.nPositions {
                finishReasons[s] = .length
            }
        }
        return produced
    }
}
