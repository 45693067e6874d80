import ArgumentParser
import Foundation
import GPT2

/// `--precision` and `--threads`: which engine runs the model.
struct EngineOptions: ParsableArguments {
    enum Precision: String, ExpressibleByArgument, CaseIterable {
        case int8, fp32
    }

    @Option(help: "Engine precision: int8 (Q8_0 weights, the fast engine) or fp32 (the exact reference).")
    var precision: Precision = .int8

    @Option(help: ArgumentHelp("Worker threads of the int8 engine (default: the number of cores).", valueName: "n"))
    var threads: Int?

    func validate() throws {
        if let threads, !(1...256).contains(threads) {
            throw ValidationError("--threads must be between 1 and 256, got \(threads)")
        }
    }

    var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    /// The model of `modelOptions` on the chosen engine.
    func load(_ modelOptions: ModelOptions) throws -> LanguageModel {
        switch precision {
        case .int8: return try modelOptions.loadQuantizedModel(threads: threadCount)
        case .fp32: return try modelOptions.loadModel()
        }
    }
}
