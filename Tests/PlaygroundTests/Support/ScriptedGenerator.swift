import Foundation
@testable import GPT2
@testable import Playground

/// A generator that plays back fixed continuations, a token (one word) per step, for UI tests
/// that need no model. It records what it was asked.
actor ScriptedGenerator: PlaygroundGenerator {
    private(set) var requests: [GenerationRequest] = []
    private(set) var updates: [GenerationParameters] = []
    private(set) var cancels = 0
    let continuations: [String]

    init(continuations: [String]) {
        self.continuations = continuations
    }

    func start(_ request: GenerationRequest) -> AsyncStream<GenerationEvent> {
        requests.append(request)
        let texts = continuations
        return AsyncStream { continuation in
            continuation.yield(.promptTokenized(tokens: [1, 2, 3], droppedTokens: 0))
            continuation.yield(.prefillFinished(milliseconds: 1))
            var sequences: [GeneratedSequence] = []
            for s in 0..<request.parameters.numReturnSequences {
                let words = texts[s % texts.count].split(separator: " ", omittingEmptySubsequences: false)
                    .enumerated().map { $0.offset == 0 ? String($0.element) : " " + $0.element }
                for (i, word) in words.prefix(request.parameters.maxLength).enumerated() {
                    let token = GeneratedToken(sequence: s, id: Int32(i), logprob: -0.5,
                                               alternatives: [TokenAlternative(id: 7, probability: 0.2)])
                    continuation.yield(.token(token, text: word))
                }
                let count = min(words.count, request.parameters.maxLength)
                let reason: FinishReason = words.count > request.parameters.maxLength ? .length : .endOfText
                continuation.yield(.sequenceFinished(sequence: s, reason: reason, text: ""))
                sequences.append(GeneratedSequence(
                    text: words.prefix(count).joined(), tokenIDs: (0..<count).map { Int32($0) },
                    logprobs: Array(repeating: -0.5, count: count), score: -0.5, finishReason: reason))
            }
            guard let plan = try? PromptPlan(promptTokens: [1, 2, 3], maxLength: request.parameters.maxLength, contextSize: 1024, endOfText: nil) else {
                continuation.yield(.failed("no room for the prompt"))
                continuation.finish()
                return
            }
            let result = GenerationResult(
                prompt: request.input, plan: plan,
                parameters: request.parameters, seed: request.parameters.seed ?? 42, sequences: sequences,
                timing: GenerationTiming(prefillMilliseconds: 1, decodeMilliseconds: 10, generatedTokens: sequences.reduce(0) { $0 + $1.tokenIDs.count }))
            continuation.yield(.runFinished(result))
            continuation.finish()
        }
    }

    func update(_ parameters: GenerationParameters) throws(GenerationError) {
        updates.append(parameters)
    }

    func cancel() {
        cancels += 1
    }

    func continueRun(by tokens: Int) -> AsyncStream<GenerationEvent> {
        AsyncStream { $0.finish() }
    }
}
