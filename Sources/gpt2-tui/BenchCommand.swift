import ArgumentParser
import Foundation
import GPT2

struct BenchCommand: ParsableCommand, AsynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prefill and decode speed, time to first token and peak memory.",
        discussion: """
            A prompt of random token ids is run in one pass (the best of three warm runs counts), \
            then --new-tokens tokens are decoded for each of --sequences sequences together. \
            Time to first token counts from process start, model loading included.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var engineOptions: EngineOptions

    @Option(help: "Prompt length in tokens.")
    var promptTokens = 128

    @Option(help: "New tokens decoded per sequence.")
    var newTokens = 128

    @Option(help: "Sequences decoded together in each step.")
    var sequences = 1

    @Option(help: "Output: table or json.")
    var format: Format = .table

    @Flag(help: "Also decode one sequence and --sequences sequences step by step in alternation, three times, and report both and their ratio (steady on a busy machine).")
    var paired = false

    @Flag(help: "Instead: a sampled run straight on the engine against the same run streamed through the generation actor, and the main actor's largest delay meanwhile.")
    var streaming = false

    func validate() throws {
        guard promptTokens >= 1 else { throw ValidationError("--prompt-tokens must be at least 1") }
        guard newTokens >= 1 else { throw ValidationError("--new-tokens must be at least 1") }
        guard (1...64).contains(sequences) else { throw ValidationError("--sequences must be between 1 and 64") }
    }

    func runAsynchronously() async throws {
        if streaming { return try await runStreaming() }
        let model = try engineOptions.load(modelOptions)
        guard promptTokens + newTokens <= model.config.nPositions else {
            throw CommandLineFailure.usage("--prompt-tokens + --new-tokens must fit the context of \(model.config.nPositions) positions")
        }
        let threads = engineOptions.precision == .int8 ? engineOptions.threadCount : 0
        var result = Benchmark.run(model: model, threads: threads, promptTokens: promptTokens,
                                   newTokens: newTokens, sequences: sequences)
        if paired {
            result.paired = Benchmark.pairedDecode(model: model, promptTokens: promptTokens, newTokens: newTokens,
                                                   sequences: sequences)
        }
        switch format {
        case .json:
            print(try JSONText.encode(result))
        case .table:
            print("""
                model               \(modelOptions.model)
                precision           \(engineOptions.precision.rawValue)\(threads > 0 ? ", \(threads) threads" : "")
                prompt / new tokens \(promptTokens) / \(newTokens) × \(result.sequences) sequence\(result.sequences == 1 ? "" : "s")
                prefill             \(String(format: "%.1f", result.prefillTokensPerSecond)) tokens/s
                decode              \(String(format: "%.1f", result.decodeTokensPerSecond)) tokens/s (all sequences)
                first token         \(String(format: "%.0f", result.timeToFirstTokenMilliseconds)) ms from process start
                peak RSS            \(String(format: "%.1f", result.peakRSSMegabytes)) MB
                """)
            if let paired = result.paired {
                print("""
                    paired decode       1 sequence \(String(format: "%.1f", paired.singleTokensPerSecond)) tokens/s, \
                    \(result.sequences) together \(String(format: "%.1f", paired.tokensPerSecond)) tokens/s: \
                    \(String(format: "%.2f", paired.ratio))× (alternating steps, \(paired.rounds) rounds)
                    """)
            }
        }
    }

    @MainActor
    private func runStreaming() async throws {
        let tokenizer = try modelOptions.loadTokenizer()
        let model = try engineOptions.load(modelOptions)
        let figures = try await StreamingBenchmark.run(model: model, tokenizer: tokenizer, sequences: sequences, newTokens: newTokens)
        switch format {
        case .json:
            print(try JSONText.encode(figures))
        case .table:
            print("""
                straight on the engine   \(String(format: "%.1f", figures.direct_tokens_per_s)) tokens/s
                streamed through actor   \(String(format: "%.1f", figures.streamed_tokens_per_s)) tokens/s (overhead \(String(format: "%.1f", figures.streaming_overhead_percent))%)
                main actor's worst delay \(String(format: "%.1f", figures.main_actor_max_gap_ms)) ms
                """)
        }
    }
}
