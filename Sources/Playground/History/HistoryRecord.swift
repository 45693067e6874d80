import Foundation
import GPT2

/// One saved run, as its history file holds it (schema in docs/history.md): the prompt, every
/// parameter, the seed the run used, each returned sequence, the model it ran on, and the
/// user's title, tags and star.
public struct HistoryRecord: Sendable, Equatable {
    /// The schema this version writes and reads; older files are migrated (`HistorySchema`).
    public static let schemaVersion = 1

    /// The file's name without `.json`; when a file was renamed by hand, its name wins.
    public var id: String
    /// When the run finished, in whole milliseconds.
    public var createdAt: Date
    /// A free title; empty until the user gives one.
    public var title: String
    public var tags: [String]
    public var starred: Bool
    public var model: HistoryModel
    public var prompt: String
    /// The prompt tokens fed to the model (after any were dropped to fit the context).
    public var promptTokenIDs: [Int32]
    /// How many of the prompt's oldest tokens were left out to fit the context.
    public var droppedPromptTokens: Int
    /// The parameters as requested: `seed` is nil when the run picked one at random.
    public var parameters: GenerationParameters
    /// The seed the run used.
    public var seed: UInt64
    public var sequences: [HistorySequence]
    public var timing: HistoryTiming

    public init(
        id: String, createdAt: Date, title: String = "", tags: [String] = [], starred: Bool = false,
        model: HistoryModel, prompt: String, promptTokenIDs: [Int32], droppedPromptTokens: Int,
        parameters: GenerationParameters, seed: UInt64, sequences: [HistorySequence], timing: HistoryTiming
    ) {
        self.id = id
        self.createdAt = HistoryTimestamp.normalized(createdAt)
        self.title = title
        self.tags = tags
        self.starred = starred
        self.model = model
        self.prompt = prompt
        self.promptTokenIDs = promptTokenIDs
        self.droppedPromptTokens = droppedPromptTokens
        self.parameters = parameters
        self.seed = seed
        self.sequences = sequences
        self.timing = timing
    }

    /// The record of a finished run on `model`, with a fresh id made from `createdAt`.
    public init(result: GenerationResult, model: HistoryModel, createdAt: Date = Date()) {
        self.init(
            id: HistoryID.make(at: createdAt), createdAt: createdAt, model: model, prompt: result.prompt,
            promptTokenIDs: result.plan.tokens, droppedPromptTokens: result.plan.droppedTokens,
            parameters: result.parameters, seed: result.seed,
            sequences: result.sequences.indices.map {
                HistorySequence(result.sequences[$0], tokensPerSecond: result.tokensPerSecond(sequence: $0))
            },
            timing: HistoryTiming(result.timing))
    }

    /// The request that re-runs this run exactly: the prompt, every parameter, and the seed the
    /// run used (also when it was picked at random).
    public var replayRequest: GenerationRequest {
        var replayed = parameters
        replayed.seed = seed
        return GenerationRequest(input: prompt, parameters: replayed)
    }

}

/// The model a run was made with.
public struct HistoryModel: Sendable, Equatable, Codable {
    /// The name the user knows it by (a known model's name, or its file or folder name).
    public var name: String
    /// The weights file, as an absolute path.
    public var file: String
    /// SHA-256 of the weights file, 64 lowercase hexadecimal digits.
    public var sha256: String
    /// The engine's precision: `int8` or `fp32`.
    public var precision: String

    public init(name: String, file: String, sha256: String, precision: String) {
        self.name = name
        self.file = file
        self.sha256 = sha256
        self.precision = precision
    }
}

/// One returned sequence of a run.
public struct HistorySequence: Sendable, Equatable {
    /// The continuation (without the prompt).
    public var text: String
    public var tokenIDs: [Int32]
    /// Each new token's log-probability under the model.
    public var logprobs: [Float]
    /// The mean of `logprobs`; nil for a sequence without tokens.
    public var meanLogprob: Float?
    /// Beam search: transformers' sequence score; otherwise the mean log-probability.
    public var score: Float
    public var finishReason: FinishReason
    public var tokensPerSecond: Double

    public init(text: String, tokenIDs: [Int32], logprobs: [Float], meanLogprob: Float?, score: Float,
                finishReason: FinishReason, tokensPerSecond: Double) {
        self.text = text
        self.tokenIDs = tokenIDs
        self.logprobs = logprobs
        self.meanLogprob = meanLogprob
        self.score = score
        self.finishReason = finishReason
        self.tokensPerSecond = tokensPerSecond
    }

    public init(_ sequence: GeneratedSequence, tokensPerSecond: Double) {
        let mean = sequence.logprobs.isEmpty ? nil : sequence.logprobs.reduce(0, +) / Float(sequence.logprobs.count)
        self.init(text: sequence.text, tokenIDs: sequence.tokenIDs, logprobs: sequence.logprobs, meanLogprob: mean,
                  score: sequence.score, finishReason: sequence.finishReason, tokensPerSecond: tokensPerSecond)
    }
}

/// How long the run took.
public struct HistoryTiming: Sendable, Equatable {
    public var prefillMilliseconds: Double
    public var decodeMilliseconds: Double
    /// New tokens of all sequences together.
    public var generatedTokens: Int

    public init(prefillMilliseconds: Double, decodeMilliseconds: Double, generatedTokens: Int) {
        self.prefillMilliseconds = prefillMilliseconds
        self.decodeMilliseconds = decodeMilliseconds
        self.generatedTokens = generatedTokens
    }

    public init(_ timing: GenerationTiming) {
        self.init(prefillMilliseconds: timing.prefillMilliseconds, decodeMilliseconds: timing.decodeMilliseconds,
                  generatedTokens: timing.generatedTokens)
    }

    public var decodeTokensPerSecond: Double {
        decodeMilliseconds > 0 ? Double(generatedTokens) / (decodeMilliseconds / 1000) : 0
    }
}
