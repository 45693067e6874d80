import GPT2

/// What the playground needs of a generator: the engine's run controls, so the UI can be driven
/// by the real engine or, in tests, by a scripted one.
public protocol PlaygroundGenerator: Sendable {
    /// Starts a run (cancelling the one in progress); the stream ends after `.runFinished` or
    /// `.failed`.
    func start(_ request: GenerationRequest) async -> AsyncStream<GenerationEvent>
    /// New parameters for the running run from its next token on; throws when a change cannot
    /// apply mid-run (mode, sequences, beams, stop strings).
    func update(_ parameters: GenerationParameters) async throws(GenerationError)
    /// Stops the current run within one token step.
    func cancel() async
    /// Continues the last run for `tokens` more tokens.
    func continueRun(by tokens: Int) async -> AsyncStream<GenerationEvent>
}
