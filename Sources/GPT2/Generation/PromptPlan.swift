/// The prompt tokens a run actually feeds the model, after fitting them into the context.
public struct PromptPlan: Sendable, Equatable {
    /// Every token of the prompt as typed.
    public var allTokens: [Int32]
    /// The tokens fed to the model: the newest ones when the prompt does not fit.
    public var tokens: [Int32]
    /// How many of the oldest tokens were left out.
    public var droppedTokens: Int
    /// New tokens the run may generate (the request's max_length, lowered to fit the context).
    public var maxNewTokens: Int

    /// Fits `promptTokens` and `maxLength` new tokens into `contextSize` positions: the number of
    /// new tokens is kept when it can be (at most contextSize − 1), and the oldest prompt tokens
    /// make room. An empty prompt starts from `<|endoftext|>`, as GPT-2 was trained.
    public init(promptTokens: [Int32], maxLength: Int, contextSize: Int, endOfText: Int32?) throws(GenerationError) {
        var fed = promptTokens
        if fed.isEmpty {
            guard let endOfText else {
                throw .invalidParameter(name: "input", reason: "the prompt is empty and the vocabulary has no <|endoftext|> to start from")
            }
            fed = [endOfText]
        }
        allTokens = promptTokens
        maxNewTokens = max(1, min(maxLength, contextSize - 1))
        let room = contextSize - maxNewTokens
        droppedTokens = max(0, fed.count - room)
        tokens = Array(fed.suffix(room))
    }
}
