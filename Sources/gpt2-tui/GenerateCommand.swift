import ArgumentParser
import Foundation
import GPT2
import GPT2Engine
import Playground

struct GenerateCommand: ParsableCommand, AsynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate continuations of a prompt and print them.",
        discussion: """
            Parameters come from flags, or from a request JSON on stdin with --request - \
            ({"input": "...", "max_length": 50, "mode": "beam", ...}), or from a saved run with \
            --from-history ID; flags given as well override them. Every run is saved in the history \
            (see `gpt2-tui history`) unless --no-history.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, full
    }

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "The prompt.")
    var input: String?

    @Option(help: ArgumentHelp("Read a request JSON from this file; - for stdin.", valueName: "file"))
    var request: String?

    @Option(help: "Decoding mode: \(DecodingMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var mode: String?

    @Option(name: [.customLong("max-length"), .customLong("max-new-tokens")], help: "Number of new tokens (default 100).")
    var maxLength: Int?

    @Option(help: "How many continuations to return (default 3).")
    var numReturnSequences: Int?

    @Option(help: "Softmax temperature when sampling (default 0.7).")
    var temperature: Double?

    @Option(help: "Tokens kept in sample-top-k and sample; 0 turns it off (default 50).")
    var topK: Int?

    @Option(help: "Probability mass kept in sample-top-p and sample, in (0, 1] (default 0.92).")
    var topP: Double?

    @Option(help: "Beam width in beam mode (default 5).")
    var numBeams: Int?

    @Option(help: "n-grams of this size may not repeat; 0 turns it off (default 2 in beam mode, else 0).")
    var noRepeatNgramSize: Int?

    @Option(help: "transformers' repetition penalty; 1.0 is off (default 1.0).")
    var repetitionPenalty: Double?

    @Option(help: "Random seed; -1 or absent picks one at random.")
    var seed: Int64?

    @Option(help: "A string that ends a continuation (not included in it); repeat for several.")
    var stop: [String] = []

    @OptionGroup var engineOptions: EngineOptions

    @Option(help: "Output: text (the continuations), json (a list of prompt + continuation strings), full (ids, log-probabilities, timings).")
    var format: Format = .text

    @Flag(help: "Print tokens as they come: the text of a single sequence, or JSON lines of events for several.")
    var stream = false

    @Option(name: .customLong("from-history"), help: ArgumentHelp(
        "Run a saved run again: its prompt, every parameter and its seed (flags given as well override them).", valueName: "id"))
    var fromHistory: String?

    @Flag(help: "Do not save this run in the history.")
    var noHistory = false

    @OptionGroup var historyOptions: HistoryOptions

    func validate() throws {
        if fromHistory != nil, request != nil { throw ValidationError("give --request or --from-history, not both") }
    }

    func runAsynchronously() async throws {
        let replayed = try fromHistory.map { try historyOptions.record(matching: $0) }
        let request = try makeRequest(replaying: replayed)
        let tokenizer = try modelOptions.loadTokenizer()
        let model = try engineOptions.load(modelOptions)
        guard tokenizer.vocabularySize <= model.config.vocabSize else {
            throw CommandLineFailure.runtime("\(modelOptions.model): the tokenizer has \(tokenizer.vocabularySize) tokens but the model only \(model.config.vocabSize)")
        }
        let engine = GenerationEngine(model: model, tokenizer: tokenizer)
        let printer = stream ? StreamPrinter(prompt: request.input, sequences: request.parameters.numReturnSequences) : nil
        var result: GenerationResult?
        for await event in await engine.start(request) {
            switch event {
            case let .promptTokenized(_, dropped) where dropped > 0:
                FileHandle.standardError.write(Data("gpt2-tui: note: the prompt does not fit the context; its oldest \(dropped) tokens were left out\n".utf8))
            case let .failed(message):
                throw CommandLineFailure.usage(message)
            case let .runFinished(final):
                result = final
            default:
                break
            }
            try printer?.print(event)
        }
        guard let result else { throw CommandLineFailure.runtime("the run ended without a result") }
        if printer == nil {
            print(try GenerateOutput.render(result, format: format, modelName: modelOptions.model))
        }
        HistoryRecording(store: historyOptions.store, digests: historyOptions.digests)
            .finish(result, modelOptions: modelOptions, precision: engineOptions.precision, save: !noHistory, replayed: replayed)
    }

    /// The request: the JSON given with --request or the saved run `replaying`, then every
    /// flag given on top of it.
    func makeRequest(replaying replayed: HistoryRecord?) throws -> GenerationRequest {
        var request: GenerationRequest
        if let replayed {
            request = replayed.replayRequest
            if let input { request.input = input }
        } else if let source = self.request {
            let data: Data
            if source == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                guard let contents = FileManager.default.contents(atPath: source) else {
                    throw CommandLineFailure.runtime("cannot read the request file \(source)")
                }
                data = contents
            }
            do {
                request = try GenerationRequest(json: data)
            } catch {
                throw CommandLineFailure.usage(error.description)
            }
            if let input { request.input = input }
        } else {
            guard let input else { throw CommandLineFailure.usage("give the prompt with --input TEXT, a request with --request -, or a saved run with --from-history ID") }
            request = GenerationRequest(input: input, parameters: GenerationParameters())
        }
        var p = request.parameters
        if let mode {
            guard let m = DecodingMode(rawValue: mode) else {
                throw CommandLineFailure.usage("unknown mode \"\(mode)\"; use one of \(DecodingMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            p.mode = m
        }
        if let maxLength { p.maxLength = maxLength }
        if let numReturnSequences { p.numReturnSequences = numReturnSequences }
        if let temperature { p.temperature = temperature }
        if let topK { p.topK = topK }
        if let topP { p.topP = topP }
        if let numBeams { p.numBeams = numBeams }
        if let noRepeatNgramSize { p.noRepeatNgramSize = noRepeatNgramSize }
        if let repetitionPenalty { p.repetitionPenalty = repetitionPenalty }
        if let seed {
            guard seed >= -1 else { throw CommandLineFailure.usage("--seed must be -1 (random) or a non-negative integer, got \(seed)") }
            p.seed = seed == -1 ? nil : UInt64(seed)
        }
        if !stop.isEmpty { p.stop = stop }
        do {
            try p.validate()
        } catch {
            throw CommandLineFailure.usage(error.description)
        }
        request.parameters = p
        return request
    }
}
