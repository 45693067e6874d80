/// Beam search as transformers' `generate(num_beams=…, do_sample=False, early_stopping=True)` does it.
///
/// Each step scores every continuation of every running beam with the beam's running sum of
/// processed log-probabilities, keeps the best 2 × numBeams candidates, lets the best numBeams of
/// them finish (at `<|endoftext|>` or at the length limit) with the score
/// sum / newTokens ^ lengthPenalty, and continues the best numBeams unfinished ones. The search
/// ends when numBeams hypotheses are finished or the length limit is reached.
public final class BeamSearchDecoder {
    /// A finished hypothesis.
    public struct Hypothesis: Sendable, Equatable {
        public var tokens: [Int32]
        public var logprobs: [Float]
        public var score: Float
        public var finishReason: FinishReason
    }

    /// A running beam: its new tokens, their raw log-probabilities and its running score.
    public struct Beam: Sendable, Equatable {
        public var tokens: [Int32]
        public var logprobs: [Float]
        public var score: Float
    }

    public let model: LanguageModel
    public let prompt: [Int32]
    public let numBeams: Int
    public private(set) var parameters: GenerationParameters
    public private(set) var running: [Beam]
    /// Finished hypotheses, best first; at most numBeams.
    public private(set) var finished: [Hypothesis] = []
    public private(set) var isFinished = false
    private let lengthPenalty: Float = 1
    private var processors: LogitsProcessorChain
    private var caches: [KVCache]
    private var pendingLogits: [[Float]]?
    private let endOfText: Int32?

    public init(model: LanguageModel, prompt: [Int32], parameters: GenerationParameters, endOfText: Int32?) throws(GenerationError) {
        precondition(!prompt.isEmpty)
        self.model = model
        self.prompt = prompt
        self.parameters = parameters
        self.endOfText = endOfText
        numBeams = parameters.numBeams
        processors = try LogitsProcessorChain(parameters: parameters)
        let prefilled = model.prefill(
            prompt, copies: numBeams, capacity: min(prompt.count + parameters.maxLength, model.config.nPositions))
        caches = prefilled.caches
        let logits = prefilled.logits
        // Only the first beam is live at the start; the others wait at −1e9 as in transformers,
        // so the first step does not pick the same continuation several times.
        running = (0..<numBeams).map { Beam(tokens: [], logprobs: [], score: $0 == 0 ? 0 : -1e9) }
        pendingLogits = Array(repeating: logits, count: numBeams)
    }

    /// Replaces the processors' parameters (repetition penalty, no-repeat-ngram, length limit)
    /// from the next step on.
    public func update(_ newParameters: GenerationParameters) throws(GenerationError) {
        try newParameters.validate()
        processors = try LogitsProcessorChain(parameters: newParameters)
        parameters = newParameters
    }

    /// The best hypotheses to show now: the finished ones, then the running beams, best first.
    public var currentBest: [Beam] {
        finished.map { Beam(tokens: $0.tokens, logprobs: $0.logprobs, score: $0.score) } + running
    }

    /// Advances every running beam by one token.
    public func step() {
        guard !isFinished else { return }
        let logits: [[Float]]
        if let pending = pendingLogits {
            logits = pending
            pendingLogits = nil
        } else {
            logits = model.forward(tokens: running.map { [$0.tokens[$0.tokens.count - 1]] }, caches: caches)
        }
        let vocabulary = model.config.vocabSize
        let keep = 2 * numBeams

        // Score every (beam, token) and keep the best `keep`, highest first (lower index first on ties).
        var candidates = TopCandidates(capacity: keep)
        var rawLogprobs: [[Float]] = []
        for (b, beam) in running.enumerated() {
            let raw = TokenChoice.logSoftmax(logits[b])
            var scores = raw
            processors.process(&scores, context: prompt + beam.tokens)
            for t in 0..<vocabulary {
                candidates.insert(score: scores[t] + beam.score, index: b * vocabulary + t)
            }
            rawLogprobs.append(raw)
        }
        let newLength = running[0].tokens.count + 1
        let atLimit = newLength >= parameters.maxLength || prompt.count + newLength >= model.config.nPositions
        let chosen = candidates.sorted()

        // The best numBeams candidates may finish; the rest only back up the running set.
        var newFinished = finished
        let full = finished.count >= numBeams
        var nextRunning: [(beam: Beam, source: Int)] = []
        for (rank, candidate) in chosen.enumerated() {
            let b = candidate.index / vocabulary
            let token = Int32(candidate.index % vocabulary)
            let beam = Beam(
                tokens: running[b].tokens + [token],
                logprobs: running[b].logprobs + [rawLogprobs[b][candidate.index % vocabulary]],
                score: candidate.score)
            let ends = token == endOfText || atLimit
            if ends {
                if rank < numBeams && !full {
                    newFinished.append(Hypothesis(
                        tokens: beam.tokens, logprobs: beam.logprobs,
                        score: candidate.score / Float(newLength),
                        finishReason: token == endOfText ? .endOfText : .length))
                }
            } else if nextRunning.count < numBeams {
                nextRunning.append((beam, b))
            }
        }
        finished = Array(newFinished.enumerated()
            .sorted { $0.element.score > $1.element.score || ($0.element.score == $1.element.score && $0.offset < $1.offset) }
            .prefix(numBeams).map(\.element))

        if atLimit || finished.count >= numBeams || nextRunning.count < numBeams {
            isFinished = true
            return
        }
        reorderCaches(sources: nextRunning.map(\.source))
        running = nextRunning.map(\.beam)
    }

    /// Stops the search where it is.
    public func cancel() {
        isFinished = true
    }

    /// The final hypotheses, best first: `count` of them (at most numBeams). After a cancel,
    /// running beams stand in for the hypotheses that did not finish.
    public func results(count: Int) -> [Hypothesis] {
        let standIns = running.filter { !$0.tokens.isEmpty }.map {
            Hypothesis(tokens: $0.tokens, logprobs: $0.logprobs, score: $0.score / Float($0.tokens.count),
                       finishReason: .cancelled)
        }
        return Array((finished + standIns).prefix(count))
    }

    /// Makes `caches[j]` hold the cache of old beam `sources[j]`, copying only where two new beams
    /// share a source (each old cache object is reused once, the spare ones receive the copies).
    private func reorderCaches(sources: [Int]) {
        var used = Set<Int>()
        var spares = caches.indices.filter { !sources.contains($0) }.map { caches[$0] }
        var reordered: [KVCache] = []
        for source in sources {
            if used.insert(source).inserted {
                reordered.append(caches[source])
            } else {
                let spare = spares.removeLast()
                spare.copyContents(of: caches[source])
                reordered.append(spare)
            }
        }
        caches = reordered
    }
}

/// The best `capacity` (score, index) pairs seen, kept sorted highest first.
struct TopCandidates {
    struct Candidate {
        var score: Float
        var index: Int
    }

    let capacity: Int
    private var items: [Candidate] = []

    init(capacity: Int) {
        self.capacity = capacity
        items.reserveCapacity(capacity + 1)
    }

    private func isBetter(_ a: Candidate, than b: Candidate) -> Bool {
        a.score > b.score || (a.score == b.score && a.index < b.index)
    }

    mutating func insert(score: Float, index: Int) {
        let candidate = Candidate(score: score, index: index)
        if items.count == capacity, let last = items.last, !isBetter(candidate, than: last) { return }
        var position = items.count
        while position > 0 && isBetter(candidate, than: items[position - 1]) { position -= 1 }
        items.insert(candidate, at: position)
        if items.count > capacity { items.removeLast() }
    }

    func sorted() -> [Candidate] { items }
}
