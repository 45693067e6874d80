import Foundation
import GPT2
import GPT2Engine

/// `bench --streaming`: the same sampled run straight on the engine's step loop and through the
/// generation actor's event stream, and how late a main-actor loop ticking every 5 ms gets
/// while the actor computes.
enum StreamingBenchmark {
    struct Figures: Encodable {
        var direct_tokens_per_s: Double
        var streamed_tokens_per_s: Double
        var streaming_overhead_percent: Double
        var main_actor_max_gap_ms: Double
        var sequences: Int
        var new_tokens: Int
    }

    @MainActor
    static func run(model: sending LanguageModel, tokenizer: GPT2Tokenizer, sequences: Int, newTokens: Int) async throws -> Figures {
        var parameters = GenerationParameters()
        parameters.mode = .sample
        parameters.temperature = 1
        parameters.numReturnSequences = sequences
        parameters.maxLength = newTokens
        parameters.seed = 1
        let prompt = "It was the best of times, it was the worst of times, it was the age of wisdom,"

        let clock = ContinuousClock()
        let run = try GenerationRun(model: model, tokenizer: tokenizer, prompt: prompt, parameters: parameters, seed: 1)
        let directStart = clock.now
        while !run.isFinished { _ = run.step() }
        let directSeconds = (clock.now - directStart).seconds
        let directTokens = run.result.timing.generatedTokens

        let engine = GenerationEngine(model: model, tokenizer: tokenizer)
        let gaps = GapMeter()
        let ticker = Task { @MainActor in
            var last = clock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(5))
                let now = clock.now
                gaps.record((now - last).seconds * 1000 - 5)
                last = now
            }
        }
        var streamedTokens = 0
        var streamStart: ContinuousClock.Instant?
        var streamEnd = clock.now
        for await event in await engine.start(GenerationRequest(input: prompt, parameters: parameters)) {
            switch event {
            case .prefillFinished: streamStart = clock.now
            case .token: streamedTokens += 1
            case .runFinished: streamEnd = clock.now
            default: break
            }
        }
        ticker.cancel()
        let streamedSeconds = (streamEnd - (streamStart ?? streamEnd)).seconds
        let direct = Double(directTokens) / directSeconds
        let streamed = streamedSeconds > 0 ? Double(streamedTokens) / streamedSeconds : 0
        return Figures(
            direct_tokens_per_s: direct, streamed_tokens_per_s: streamed,
            streaming_overhead_percent: (direct / max(streamed, 1e-9) - 1) * 100,
            main_actor_max_gap_ms: gaps.maximum, sequences: sequences, new_tokens: newTokens)
    }

    @MainActor final class GapMeter {
        private(set) var maximum = 0.0
        func record(_ gap: Double) { maximum = max(maximum, gap) }
    }
}
