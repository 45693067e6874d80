import Foundation

/// Why a sequence stopped growing.
public enum FinishReason: String, Sendable, Codable, Equatable {
    /// It reached the requested number of new tokens.
    case length
    /// The model emitted `<|endoftext|>`.
    case endOfText = "end_of_text"
    /// Its text reached one of the stop strings.
    case stop
    /// The run was cancelled.
    case cancelled
}

/// A token the model found likely at a step, with its probability under the model.
public struct TokenAlternative: Sendable, Equatable, Codable {
    public var id: Int32
    public var probability: Float
}

/// One token appended to one sequence.
public struct GeneratedToken: Sendable, Equatable {
    public var sequence: Int
    public var id: Int32
    /// log-probability of the token under the model's own distribution (log_softmax of the raw
    /// logits, before any processor).
    public var logprob: Float
    /// The model's most likely tokens at this step, most likely first.
    public var alternatives: [TokenAlternative] = []
}

extension TokenChoice {
    /// The `count` most likely ids of a log-probability vector, most likely first.
    static func alternatives(_ logprobs: [Float], count: Int) -> [TokenAlternative] {
        var best = TopCandidates(capacity: count)
        for (i, value) in logprobs.enumerated() { best.insert(score: value, index: i) }
        return best.sorted().map { TokenAlternative(id: Int32($0.index), probability: expf($0.score)) }
    }
}
