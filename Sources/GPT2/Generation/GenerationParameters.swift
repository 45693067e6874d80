/// How continuations are chosen (SPEC §3).
public enum DecodingMode: String, Sendable, Codable, CaseIterable {
    case sampleTopP = "sample-top-p"
    case sampleTopK = "sample-top-k"
    case sample
    case beam
    case greedy

    public var isSampling: Bool {
        switch self {
        case .sampleTopP, .sampleTopK, .sample: return true
        case .beam, .greedy: return false
        }
    }
}

/// Every setting of one generation run, with the product's defaults.
public struct GenerationParameters: Sendable, Equatable, Codable {
    public var mode: DecodingMode = .sampleTopP
    /// New tokens to generate (the prompt is not counted).
    public var maxLength: Int = 100
    public var numReturnSequences: Int = 3
    public var temperature: Double = 0.7
    public var topP: Double = 0.92
    public var topK: Int = 50
    public var numBeams: Int = 5
    /// `nil` means the mode's default: 2 in beam search, 0 (off) otherwise.
    public var noRepeatNgramSize: Int?
    public var repetitionPenalty: Double = 1.0
    public var stop: [String] = []
    /// `nil` picks a random seed for the run.
    public var seed: UInt64?

    public init() {}

    public var effectiveNoRepeatNgramSize: Int {
        noRepeatNgramSize ?? (mode == .beam ? 2 : 0)
    }

    /// Whether top-k filtering applies in this mode.
    public var usesTopK: Bool { mode == .sampleTopK || mode == .sample }
    /// Whether nucleus (top-p) filtering applies in this mode.
    public var usesTopP: Bool { mode == .sampleTopP || mode == .sample }

    /// Checks every value, naming the first one that is out of range.
    public func validate() throws(GenerationError) {
        func fail(_ name: String, _ reason: String) -> GenerationError {
            .invalidParameter(name: name, reason: reason)
        }
        guard maxLength >= 1 else { throw fail("max_length", "must be at least 1, got \(maxLength)") }
        guard (1...64).contains(numReturnSequences) else {
            throw fail("num_return_sequences", "must be between 1 and 64, got \(numReturnSequences)")
        }
        guard temperature.isFinite, temperature > 0 else {
            throw fail("temperature", "must be greater than 0 (use mode greedy for deterministic output), got \(temperature)")
        }
        guard topP.isFinite, topP > 0, topP <= 1 else { throw fail("top_p", "must be in (0, 1], got \(topP)") }
        guard topK >= 0 else { throw fail("top_k", "must be 0 (off) or more, got \(topK)") }
        guard (1...64).contains(numBeams) else { throw fail("num_beams", "must be between 1 and 64, got \(numBeams)") }
        if let n = noRepeatNgramSize, n < 0 { throw fail("no_repeat_ngram_size", "must be 0 (off) or more, got \(n)") }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
            throw fail("repetition_penalty", "must be greater than 0, got \(repetitionPenalty)")
        }
        if stop.contains(where: \.isEmpty) { throw fail("stop", "stop strings must not be empty") }
        if mode == .beam, numReturnSequences > numBeams {
            throw fail("num_return_sequences", "must be at most num_beams (\(numBeams)) in beam mode, got \(numReturnSequences)")
        }
    }
}

/// Why a generation request cannot run.
public enum GenerationError: Error, Equatable, CustomStringConvertible {
    case invalidParameter(name: String, reason: String)
    case emptyVocabulary

    public var description: String {
        switch self {
        case let .invalidParameter(name, reason): return "invalid \(name): \(reason)"
        case .emptyVocabulary: return "the model has an empty vocabulary"
        }
    }
}
