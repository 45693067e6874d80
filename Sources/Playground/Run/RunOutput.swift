import GPT2

/// A token as a column shows it: the text it added and how likely the model found it, with the
/// alternatives the model weighed at that step (for token insight).
public struct ShownToken: Equatable, Sendable {
    public var text: String
    public var probability: Float
    public var alternatives: [Alternative]

    public struct Alternative: Equatable, Sendable {
        public var text: String
        public var probability: Float

        public init(text: String, probability: Float) {
            self.text = text
            self.probability = probability
        }
    }

    public init(text: String, probability: Float, alternatives: [Alternative] = []) {
        self.text = text
        self.probability = probability
        self.alternatives = alternatives
    }
}

/// One returned sequence as it streams in.
public struct OutputColumn: Equatable, Sendable {
    public var sequence: Int
    public var tokens: [ShownToken] = []
    public var tokenCount = 0
    public var logprobSum: Double = 0
    public var finishReason: FinishReason?
    /// Beam search shows the current best hypotheses, replaced at every step.
    public var hypothesis: String?
    /// When its first and latest tokens arrived (seconds on the program's clock).
    public var firstTokenAt: Double?
    public var lastTokenAt: Double?
    /// First visual line shown (the column's own scroll), nil to follow the end.
    public var scrollRow: Int?

    public init(sequence: Int) {
        self.sequence = sequence
    }

    public var text: String {
        hypothesis ?? tokens.map(\.text).joined()
    }

    public var meanLogprob: Double? {
        tokenCount > 0 ? logprobSum / Double(tokenCount) : nil
    }

    /// Tokens per second since the column's first token.
    public var tokensPerSecond: Double? {
        guard let first = firstTokenAt, let last = lastTokenAt, last > first, tokenCount > 1 else { return nil }
        return Double(tokenCount - 1) / (last - first)
    }
}

/// What the playground knows of the run it shows: the request, the phase, and a column per
/// returned sequence, built from the engine's events.
public struct RunOutput: Equatable, Sendable {
    public enum Phase: Equatable, Sendable {
        case starting
        case prefill
        case generating
        case finished
        case failed(String)
    }

    /// Distinguishes this run's events from a cancelled run's late ones.
    public var id: Int
    public var request: GenerationRequest
    public var phase: Phase = .starting
    public var columns: [OutputColumn]
    public var seed: UInt64?
    public var promptTokens = 0
    public var droppedTokens = 0
    public var prefillMilliseconds: Double?
    public var startedAt: Double
    public var finishedAt: Double?
    /// The result once the run ended (saved to history, continued from).
    public var result: GenerationResult?

    public init(id: Int, request: GenerationRequest, startedAt: Double) {
        self.id = id
        self.request = request
        self.startedAt = startedAt
        columns = (0..<request.parameters.numReturnSequences).map(OutputColumn.init(sequence:))
    }

    public var isRunning: Bool {
        switch phase {
        case .starting, .prefill, .generating: return true
        case .finished, .failed: return false
        }
    }

    /// Tokens generated so far over all columns.
    public var generatedTokens: Int { columns.reduce(0) { $0 + $1.tokenCount } }

    /// The furthest column's token count: "generating k of n".
    public var step: Int { columns.map(\.tokenCount).max() ?? 0 }

    /// All columns' tokens per second since the first token.
    public func tokensPerSecond(now: Double) -> Double? {
        let firsts = columns.compactMap(\.firstTokenAt)
        guard let first = firsts.min() else { return nil }
        let end = finishedAt ?? now
        guard end > first, generatedTokens > columns.count else { return nil }
        return Double(generatedTokens - firsts.count) / (end - first)
    }

    /// Applies one of the engine's events, received at `time`.
    public mutating func apply(_ event: PlaygroundEvent, at time: Double) {
        switch event {
        case .promptTokenized(let count, let dropped):
            promptTokens = count
            droppedTokens = dropped
            phase = .prefill
        case .prefillFinished(let milliseconds):
            prefillMilliseconds = milliseconds
            phase = .generating
        case .token(let sequence, let token, let logprob):
            guard columns.indices.contains(sequence) else { return }
            // The final beam tokens replace the hypothesis shown while searching.
            columns[sequence].hypothesis = nil
            columns[sequence].tokens.append(token)
            columns[sequence].tokenCount += 1
            columns[sequence].logprobSum += Double(logprob)
            if columns[sequence].firstTokenAt == nil { columns[sequence].firstTokenAt = time }
            columns[sequence].lastTokenAt = time
        case .beamHypotheses(let texts):
            for (i, text) in texts.enumerated() where columns.indices.contains(i) {
                columns[i].hypothesis = text
                if columns[i].firstTokenAt == nil { columns[i].firstTokenAt = time }
                columns[i].lastTokenAt = time
            }
        case .sequenceFinished(let sequence, let reason, let text):
            guard columns.indices.contains(sequence) else { return }
            if !text.isEmpty {
                columns[sequence].tokens.append(ShownToken(text: text, probability: 1))
            }
            columns[sequence].finishReason = reason
        case .finished(let result):
            self.result = result
            seed = result.seed
            phase = .finished
            finishedAt = time
            for (i, sequence) in result.sequences.enumerated() where columns.indices.contains(i) {
                columns[i].finishReason = sequence.finishReason
                columns[i].hypothesis = nil
            }
        case .failed(let message):
            phase = .failed(message)
            finishedAt = time
        case .parametersApplied:
            break
        }
    }
}
