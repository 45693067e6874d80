import Foundation
import GPT2

/// An engine event as the playground consumes it: token ids already turned into text (the
/// program does that with the model's tokenizer), so state and view stay free of the model.
public enum PlaygroundEvent: Equatable, Sendable {
    case promptTokenized(count: Int, dropped: Int)
    case prefillFinished(milliseconds: Double)
    case token(sequence: Int, ShownToken, logprob: Float)
    case beamHypotheses([String])
    case parametersApplied(step: Int)
    case sequenceFinished(sequence: Int, reason: FinishReason, text: String)
    case finished(GenerationResult)
    case failed(String)

    /// The playground's form of an engine event; `tokenText` spells a token id.
    public init(_ event: GenerationEvent, tokenText: (Int32) -> String) {
        switch event {
        case let .promptTokenized(tokens, dropped):
            self = .promptTokenized(count: tokens.count, dropped: dropped)
        case let .prefillFinished(milliseconds):
            self = .prefillFinished(milliseconds: milliseconds)
        case let .token(token, text):
            let alternatives = token.alternatives.map {
                ShownToken.Alternative(text: tokenText($0.id), probability: $0.probability)
            }
            self = .token(sequence: token.sequence,
                          ShownToken(text: text, probability: expf(token.logprob), alternatives: alternatives),
                          logprob: token.logprob)
        case let .beamHypotheses(hypotheses):
            self = .beamHypotheses(hypotheses.map(\.text))
        case let .parametersApplied(step):
            self = .parametersApplied(step: step)
        case let .sequenceFinished(sequence, reason, text):
            self = .sequenceFinished(sequence: sequence, reason: reason, text: text)
        case let .runFinished(result):
            self = .finished(result)
        case let .failed(message):
            self = .failed(message)
        }
    }
}
