import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `gpt2-tui bench` measures.
public struct BenchmarkResult: Sendable, Codable, Equatable {
    public var prefillTokensPerSecond: Double
    /// New tokens of all sequences together per second of decoding.
    public var decodeTokensPerSecond: Double
    /// From process start to the first new token (model loading and the first prefill included).
    public var timeToFirstTokenMilliseconds: Double
    public var peakRSSMegabytes: Double
    public var threads: Int
    public var sequences: Int
    public var promptTokens: Int
    public var newTokens: Int
    /// With `--paired`: one sequence against `sequences` decoded in alternation.
    public var paired: PairedDecode?

    enum CodingKeys: String, CodingKey {
        case prefillTokensPerSecond = "prefill_tokens_per_s"
        case decodeTokensPerSecond = "decode_tokens_per_s"
        case timeToFirstTokenMilliseconds = "time_to_first_token_ms"
        case peakRSSMegabytes = "peak_rss_mb"
        case threads, sequences
        case promptTokens = "prompt_tokens"
        case newTokens = "new_tokens"
        case paired
    }
}

/// Decode speed of one sequence and of several together, measured step by step in alternation
/// in one process, so that both see the same machine: on a shared machine whose speed swings
/// between runs, their ratio is far steadier than that of two separate runs.
public struct PairedDecode: Sendable, Codable, Equatable {
    public var singleTokensPerSecond: Double
    /// Tokens of all the sequences together per second.
    public var tokensPerSecond: Double
    public var ratio: Double
    public var rounds: Int

    enum CodingKeys: String, CodingKey {
        case singleTokensPerSecond = "single_tokens_per_s"
        case tokensPerSecond = "tokens_per_s"
        case ratio, rounds
    }
}

/// Prefill and decode speed of a model, measured the way llama.cpp's llama-bench does: a prompt
/// of random token ids in one pass, then new tokens one step at a time (the most likely one, so
/// no sampling cost and no early end of text), every sequence in the same batched pass.
public enum Benchmark {
    public static func run(
        model: LanguageModel, threads: Int, promptTokens: Int, newTokens: Int, sequences: Int,
        prefillRepetitions: Int = 3
    ) -> BenchmarkResult {
        let prompt = randomPrompt(promptTokens, vocabulary: model.config.vocabSize)
        let clock = ContinuousClock()

        // Cold: the first prefill after loading, which decides the time to first token.
        let capacity = promptTokens + newTokens
        var first = model.makeCache(capacity: capacity)
        var logits = model.forward(tokens: [prompt], caches: [first])[0]
        _ = TokenChoice.argmax(logits)
        let firstToken = Self.processAgeMilliseconds()

        // Warm prefill: the best of a few repetitions.
        var prefillSeconds = Double.infinity
        for _ in 0..<max(1, prefillRepetitions) {
            let cache = model.makeCache(capacity: capacity)
            let start = clock.now
            logits = model.forward(tokens: [prompt], caches: [cache])[0]
            prefillSeconds = min(prefillSeconds, (clock.now - start).seconds)
            first = cache
        }

        // Decode: every sequence goes on from the prompt's cache (shared, as the decoders share
        // it) and advances one token per step.
        let caches = first.continuations(max(1, sequences), capacity: capacity)
        var next = Array(repeating: Int32(TokenChoice.argmax(logits)), count: caches.count)
        let start = clock.now
        for _ in 0..<newTokens {
            let step = model.forward(tokens: next.map { [$0] }, caches: caches)
            next = step.map { Int32(TokenChoice.argmax($0)) }
        }
        let decodeSeconds = (clock.now - start).seconds

        return BenchmarkResult(
            prefillTokensPerSecond: Double(promptTokens) / prefillSeconds,
            decodeTokensPerSecond: Double(newTokens * caches.count) / decodeSeconds,
            timeToFirstTokenMilliseconds: firstToken,
            peakRSSMegabytes: Self.peakRSSMegabytes(),
            threads: threads, sequences: caches.count, promptTokens: promptTokens, newTokens: newTokens)
    }

    /// `rounds` times: a prompt, then `newTokens` steps of one sequence and of `sequences`
    /// sequences continuing it (sharing it, as the decoders do) in alternation.
    public static func pairedDecode(
        model: LanguageModel, promptTokens: Int, newTokens: Int, sequences: Int, rounds: Int = 3
    ) -> PairedDecode {
        let prompt = randomPrompt(promptTokens, vocabulary: model.config.vocabSize)
        let clock = ContinuousClock()
        let capacity = promptTokens + newTokens
        var seconds = (single: 0.0, together: 0.0)
        for _ in 0..<max(1, rounds) {
            let (single, firstLogits) = model.prefill(prompt, copies: 1, capacity: capacity)
            let (together, logits) = model.prefill(prompt, copies: max(1, sequences), capacity: capacity)
            var next = (single: [Int32(TokenChoice.argmax(firstLogits))],
                        together: Array(repeating: Int32(TokenChoice.argmax(logits)), count: together.count))
            for _ in 0..<newTokens {
                var start = clock.now
                next.single = model.forward(tokens: [next.single], caches: single).map { Int32(TokenChoice.argmax($0)) }
                seconds.single += (clock.now - start).seconds
                start = clock.now
                next.together = model.forward(tokens: next.together.map { [$0] }, caches: together)
                    .map { Int32(TokenChoice.argmax($0)) }
                seconds.together += (clock.now - start).seconds
            }
        }
        let steps = Double(max(1, rounds) * newTokens)
        let single = steps / seconds.single
        let together = steps * Double(max(1, sequences)) / seconds.together
        return PairedDecode(singleTokensPerSecond: single, tokensPerSecond: together, ratio: together / single,
                            rounds: max(1, rounds))
    }

    private static func randomPrompt(_ count: Int, vocabulary: Int) -> [Int32] {
        var random = RandomSource(seed: 2024)
        return (0..<count).map { _ in Int32(random.next() % UInt64(vocabulary)) }
    }

    /// Peak resident memory of this process so far.
    public static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
    }

    /// Milliseconds since this process started, from the kernel's start time (10 ms resolution).
    public static func processAgeMilliseconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // Fields after the command name; starttime is field 22 of the whole line.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]),
              let now = uptime.split(separator: " ").first.flatMap({ Double($0) }) else { return 0 }
        let hertz = Double(sysconf(Int32(_SC_CLK_TCK)))
        return max(0, (now - ticks / hertz) * 1000)
    }
}
