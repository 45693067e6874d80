import Dispatch
import GPT2

/// The engine's thread and everything only it may touch: the model, the tokenizer and the
/// last run (kept for continue, re-run and restart).
final class EngineWorker: @unchecked Sendable {
    // @unchecked: every property below is used only from `queue`, one job at a time.
    private let queue = DispatchQueue(label: "gpt2-tui.engine", qos: .userInitiated)
    private let model: LanguageModel
    private let tokenizer: GPT2Tokenizer
    private var lastRun: GenerationRun?

    init(model: LanguageModel, tokenizer: GPT2Tokenizer) {
        self.model = model
        self.tokenizer = tokenizer
    }

    func enqueue(control: RunControl, _ job: @escaping @Sendable (EngineWorker, RunControl) throws -> Void) {
        queue.async { [self] in
            do {
                try job(self, control)
            } catch {
                control.continuation.yield(.failed("\(error)"))
            }
            control.continuation.finish()
        }
    }

    func startRun(prompt: String, parameters: GenerationParameters, seed: UInt64, rows: [Int]?, control: RunControl) throws {
        guard !control.isCancelled else { return }
        let run = try GenerationRun(model: model, tokenizer: tokenizer, prompt: prompt, parameters: parameters, seed: seed, rows: rows)
        if rows == nil { lastRun = run }
        control.send(run.openingEvents)
        drive(run, control: control)
    }

    func restartRun(parameters: GenerationParameters, control: RunControl) throws {
        guard let last = lastRun else { throw GenerationError.invalidParameter(name: "restart", reason: "there is no run to restart") }
        try startRun(prompt: last.prompt, parameters: parameters, seed: parameters.seed ?? last.seed, rows: nil, control: control)
    }

    func continueRun(by tokens: Int, control: RunControl) throws {
        guard let run = lastRun else { throw GenerationError.invalidParameter(name: "continue", reason: "there is no run to continue") }
        try run.extend(by: tokens)
        drive(run, control: control)
    }

    func rerun(sequence index: Int, control: RunControl) throws {
        guard let last = lastRun else { throw GenerationError.invalidParameter(name: "sequence", reason: "there is no run to re-run") }
        guard (0..<last.parameters.numReturnSequences).contains(index) else {
            throw GenerationError.invalidParameter(name: "sequence", reason: "the last run has no sequence \(index)")
        }
        try startRun(prompt: last.prompt, parameters: last.parameters, seed: last.seed, rows: [index], control: control)
    }

    /// Steps the run until it ends or is cancelled, applying parameter updates between steps.
    private func drive(_ run: GenerationRun, control: RunControl) {
        while !run.isFinished {
            if control.isCancelled {
                control.send(run.cancel())
                return
            }
            if let parameters = control.takePendingParameters() {
                do {
                    try run.update(parameters)
                    control.send([.parametersApplied(step: run.steps)])
                } catch {
                    control.send([.failed(error.description)])
                }
            }
            control.send(run.step())
        }
    }
}
