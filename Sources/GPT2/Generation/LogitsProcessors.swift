/// One step of logit processing, as transformers' `LogitsProcessor`s: it rewrites the scores of
/// the next token (vocabSize) given every token of the sequence so far (prompt included).
public protocol LogitsProcessor: Sendable {
    func process(_ scores: inout [Float], context: [Int32])
}

/// transformers' `RepetitionPenaltyLogitsProcessor`: each id that occurs in the sequence has its
/// score multiplied by the penalty when negative and divided by it when positive, once per id.
public struct RepetitionPenaltyProcessor: LogitsProcessor {
    public let penalty: Float

    public init(penalty: Double) throws(GenerationError) {
        guard penalty.isFinite, penalty > 0 else {
            throw .invalidParameter(name: "repetition_penalty", reason: "must be greater than 0, got \(penalty)")
        }
        self.penalty = Float(penalty)
    }

    public func process(_ scores: inout [Float], context: [Int32]) {
        var seen = Set<Int32>()
        for id in context where seen.insert(id).inserted {
            let i = Int(id)
            guard scores.indices.contains(i) else { continue }
            let s = scores[i]
            scores[i] = s < 0 ? s * penalty : s / penalty
        }
    }
}

/// transformers' `NoRepeatNGramLogitsProcessor`: a token that would complete an n-gram already
/// present in the sequence gets −∞.
public struct NoRepeatNGramProcessor: LogitsProcessor {
    public let size: Int

    public init(size: Int) throws(GenerationError) {
        guard size > 0 else {
            throw .invalidParameter(name: "no_repeat_ngram_size", reason: "must be positive, got \(size)")
        }
        self.size = size
    }

    public func process(_ scores: inout [Float], context: [Int32]) {
        for id in bannedTokens(context: context) where scores.indices.contains(Int(id)) {
            scores[Int(id)] = -.infinity
        }
    }

    /// Tokens that followed an earlier occurrence of the last `size − 1` tokens.
    func bannedTokens(context: [Int32]) -> [Int32] {
        let n = size
        guard context.count + 1 >= n else { return [] }
        let prefixStart = context.count - (n - 1)
        var banned: [Int32] = []
        // Every n-gram context[i..<i+n]; its first n−1 tokens must equal the current suffix.
        var i = 0
        while i + n <= context.count {
            var matches = true
            for j in 0..<(n - 1) where context[i + j] != context[prefixStart + j] {
                matches = false
                break
            }
            if matches { banned.append(context[i + n - 1]) }
            i += 1
        }
        return banned
    }
}

/// transformers' `TemperatureLogitsWarper`: scores divided by the temperature.
public struct TemperatureWarper: LogitsProcessor {
    public let temperature: Float

    public init(temperature: Double) throws(GenerationError) {
        guard temperature.isFinite, temperature > 0 else {
            throw .invalidParameter(name: "temperature", reason: "must be greater than 0, got \(temperature)")
        }
        self.temperature = Float(temperature)
    }

    public func process(_ scores: inout [Float], context: [Int32]) {
        for i in scores.indices { scores[i] /= temperature }
    }
}

/// transformers' `TopKLogitsWarper`: every score below the k-th highest becomes −∞ (ties with the
/// k-th value are kept).
public struct TopKWarper: LogitsProcessor {
    public let k: Int

    public init(k: Int) throws(GenerationError) {
        guard k > 0 else { throw .invalidParameter(name: "top_k", reason: "must be positive, got \(k)") }
        self.k = k
    }

    public func process(_ scores: inout [Float], context: [Int32]) {
        guard k < scores.count else { return }
        let threshold = Self.kthLargest(scores, k)
        for i in scores.indices where scores[i] < threshold { scores[i] = -.infinity }
    }

    /// The k-th largest value (1-based), by a partial selection.
    static func kthLargest(_ values: [Float], _ k: Int) -> Float {
        // A min-heap of the k largest values seen so far; its root is the answer.
        var heap: [Float] = []
        heap.reserveCapacity(k)
        for v in values {
            if heap.count < k {
                heap.append(v)
                siftUp(&heap, heap.count - 1)
            } else if v > heap[0] {
                heap[0] = v
                siftDown(&heap, 0)
            }
        }
        return heap[0]
    }

    private static func siftUp(_ heap: inout [Float], _ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private static func siftDown(_ heap: inout [Float], _ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left] < heap[smallest] { smallest = left }
            if right < heap.count, heap[right] < heap[smallest] { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

/// transformers' `TopPLogitsWarper`: sorts ascending and removes the tokens whose cumulative
/// probability is at most 1 − top_p, always keeping the most likely token.
public struct TopPWarper: LogitsProcessor {
    public let p: Double

    public init(p: Double) throws(GenerationError) {
        guard p.isFinite, p > 0, p <= 1 else {
            throw .invalidParameter(name: "top_p", reason: "must be in (0, 1], got \(p)")
        }
        self.p = p
    }

    public func process(_ scores: inout [Float], context: [Int32]) {
        guard p < 1, !scores.isEmpty else { return }
        let probabilities = TokenChoice.probabilities(scores)
        var total: Double = 0
        for v in probabilities { total += Double(v) }
        // In ascending order a token is removed when the mass up to and including it is at most
        // 1 − top_p, i.e. when the tokens ranked above it already hold total − (1 − top_p).
        // Walking down from the most likely token, only the few kept tokens need ordering: a
        // heap gives them without sorting the whole vocabulary.
        let limit = Double(Float(1 - p))
        var heap = ProbabilityHeap(probabilities)
        var above: Double = 0
        var kept = 0
        var keep = [Bool](repeating: false, count: scores.count)
        while let (index, probability) = heap.popMax() {
            if kept > 0 && Float(total - above) <= Float(limit) { break }
            keep[index] = true
            kept += 1
            above += Double(probability)
        }
        for i in scores.indices where !keep[i] { scores[i] = -.infinity }
    }
}

/// A max-heap of token probabilities, larger id first among equal probabilities (the reverse of
/// a stable ascending sort, which is the order transformers' top-p walks).
private struct ProbabilityHeap {
    private var items: [(index: Int, probability: Float)]

    init(_ probabilities: [Float]) {
        items = probabilities.enumerated().map { ($0.offset, $0.element) }
        for i in stride(from: items.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }

    private func above(_ a: (index: Int, probability: Float), _ b: (index: Int, probability: Float)) -> Bool {
        a.probability > b.probability || (a.probability == b.probability && a.index > b.index)
    }

    mutating func popMax() -> (Int, Float)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            siftDown(0)
        }
        return (top.index, top.probability)
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < items.count, above(items[left], items[best]) { best = left }
            if right < items.count, above(items[right], items[best]) { best = right }
            if best == parent { return }
            items.swapAt(parent, best)
            parent = best
        }
    }
}

/// The processors of a request in transformers' order: repetition penalty, no-repeat-ngram, then,
/// when sampling, temperature, top-k and top-p.
public struct LogitsProcessorChain: Sendable {
    public private(set) var processors: [any LogitsProcessor] = []

    public init(parameters: GenerationParameters) throws(GenerationError) {
        if parameters.repetitionPenalty != 1 {
            processors.append(try RepetitionPenaltyProcessor(penalty: parameters.repetitionPenalty))
        }
        if parameters.effectiveNoRepeatNgramSize > 0 {
            processors.append(try NoRepeatNGramProcessor(size: parameters.effectiveNoRepeatNgramSize))
        }
        guard parameters.mode.isSampling else { return }
        if parameters.temperature != 1 {
            processors.append(try TemperatureWarper(temperature: parameters.temperature))
        }
        if parameters.usesTopK, parameters.topK > 0 {
            processors.append(try TopKWarper(k: parameters.topK))
        }
        if parameters.usesTopP, parameters.topP < 1 {
            processors.append(try TopPWarper(p: parameters.topP))
        }
    }

    public func process(_ scores: inout [Float], context: [Int32]) {
        for processor in processors { processor.process(&scores, context: context) }
    }
}
