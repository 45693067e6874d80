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

/// One token appended to one sequence.
public struct GeneratedToken: Sendable, Equatable {
    public var sequence: Int
    public var id: Int32
    /// log-probability of the token under the model's own distribution (log_softmax of the raw
    /// logits, before any processor).
    public var logprob: Float
}
