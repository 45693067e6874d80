import Dispatch
import Foundation
import GPT2

/// The one place a loaded model generates: an actor that coordinates runs, and a dedicated
/// thread that computes them.
///
/// Each run streams `GenerationEvent`s as they happen (an `AsyncStream`). The token loop runs on
/// the engine's own serial queue, never on the Swift cooperative pool, so a UI on the main
/// actor keeps drawing while it computes; the model's worker pool splits each product. The
/// actor only coordinates: it never touches the model, which belongs to the engine's thread.
public actor GenerationEngine {
    private let worker: EngineWorker
    /// The run being computed, or the last one (which `continueRun` and `update` act on).
    private var current: RunControl?
    private var currentParameters: GenerationParameters?

    /// `model` and `tokenizer` are handed over: from now on only the engine's thread uses them.
    public init(model: sending LanguageModel, tokenizer: GPT2Tokenizer) {
        worker = EngineWorker(model: model, tokenizer: tokenizer)
    }

    /// Starts a run (cancelling the one in progress) and returns its events. The stream ends
    /// after `.runFinished` (or `.failed`); dropping it cancels the run.
    public func start(_ request: GenerationRequest) -> AsyncStream<GenerationEvent> {
        launch { worker, control in
            try worker.startRun(prompt: request.input, parameters: request.parameters,
                                seed: request.parameters.seed ?? GenerationRun.randomSeed(), rows: nil, control: control)
        } parameters: { request.parameters }
    }

    /// New parameters for the running (or last) run, from its next token on. Changes that
    /// cannot apply mid-run (mode, sequences, beams, stop strings) are refused with the reason;
    /// `restart` starts the run again with them instead.
    public func update(_ parameters: GenerationParameters) throws(GenerationError) {
        guard let old = currentParameters else {
            throw .invalidParameter(name: "update", reason: "there is no run to update")
        }
        try GenerationRun.checkLiveUpdate(from: old, to: parameters)
        currentParameters = parameters
        current?.setPendingParameters(parameters)
    }

    /// Starts the last run again from its prompt with `parameters` (and its seed, unless the
    /// parameters bring their own), so one changed setting can be compared.
    public func restart(with parameters: GenerationParameters) -> AsyncStream<GenerationEvent> {
        launch { worker, control in
            try worker.restartRun(parameters: parameters, control: control)
        } parameters: { parameters }
    }

    /// Stops the current run within one token step; its stream reports the cancellation.
    public func cancel() {
        current?.cancel()
    }

    /// Continues the last sampling or greedy run for `tokens` more tokens from its caches (no
    /// prompt recomputation); the result equals one longer run.
    public func continueRun(by tokens: Int) -> AsyncStream<GenerationEvent> {
        launch { worker, control in
            try worker.continueRun(by: tokens, control: control)
        } parameters: { self.currentParameters }
    }

    /// Runs sequence `index` of the last run again, alone, with its own random stream: the
    /// same text as before (for the same parameters).
    public func rerun(sequence index: Int) -> AsyncStream<GenerationEvent> {
        launch { worker, control in
            try worker.rerun(sequence: index, control: control)
        } parameters: { self.currentParameters }
    }

    /// Cancels what runs, then queues `job` on the engine's thread with a fresh control.
    private func launch(
        _ job: @escaping @Sendable (EngineWorker, RunControl) throws -> Void,
        parameters: () -> GenerationParameters?
    ) -> AsyncStream<GenerationEvent> {
        current?.cancel()
        let (stream, continuation) = AsyncStream.makeStream(of: GenerationEvent.self)
        let control = RunControl(continuation: continuation)
        continuation.onTermination = { @Sendable _ in control.cancel() }
        current = control
        currentParameters = parameters()
        worker.enqueue(control: control, job)
        return stream
    }
}

/// What the actor and the engine's thread share about one run: where its events go, whether it
/// was cancelled, and parameters waiting to take effect at the next step.
final class RunControl: @unchecked Sendable {
    // @unchecked: `cancelled` and `pending` are only touched under `lock` (an NSLock rather than
    // Synchronization's Mutex, whose futex the thread sanitizer cannot see).
    let continuation: AsyncStream<GenerationEvent>.Continuation
    private let lock = NSLock()
    private var cancelled = false
    private var pending: GenerationParameters?

    init(continuation: AsyncStream<GenerationEvent>.Continuation) {
        self.continuation = continuation
    }

    func cancel() {
        lock.withLock { cancelled = true }
    }

    var isCancelled: Bool { lock.withLock { cancelled } }

    func setPendingParameters(_ parameters: GenerationParameters) {
        lock.withLock { pending = parameters }
    }

    /// The parameters waiting to be applied, taken (so they apply once).
    func takePendingParameters() -> GenerationParameters? {
        lock.withLock {
            defer { pending = nil }
            return pending
        }
    }

    func send(_ events: [GenerationEvent]) {
        for event in events { continuation.yield(event) }
    }
}
