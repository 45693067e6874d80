import GPT2

/// A model ready to generate: what the status bar shows, the tokenizer (token counts, token
/// texts) and the generator.
public struct LoadedModel: Sendable {
    public var summary: ModelSummary
    public var tokenizer: GPT2Tokenizer
    public var generator: any PlaygroundGenerator

    public init(summary: ModelSummary, tokenizer: GPT2Tokenizer, generator: any PlaygroundGenerator) {
        self.summary = summary
        self.tokenizer = tokenizer
        self.generator = generator
    }
}

/// Why a model could not be loaded, and what the user can do about it.
public struct ModelLoadFailure: Error, Sendable {
    public var message: String
    public var hint: String?

    public init(message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}
