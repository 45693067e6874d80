import Foundation
import GPT2
import GPT2Engine
import Playground

/// Which model the playground opens: the one asked for, else gpt2 when it is present, else
/// the bundled demo model (saying why).
struct ModelChoice: Sendable {
    static let defaultModel = "gpt2"
    static let demoModel = "demo"

    /// What `--model` will be given.
    let name: String
    let modelsDir: String?
    /// Set when the default model was not present and the demo stands in for it.
    let fallbackNotice: String?

    /// How the status bar names it: a known model's name, or a path's file name.
    var displayName: String {
        guard name.contains("/") else { return name }
        let url = URL(fileURLWithPath: name)
        return url.pathExtension.lowercased() == "gguf" ? url.deletingPathExtension().lastPathComponent : url.lastPathComponent
    }

    init(requested: String?, modelsDir: String?) throws {
        self.modelsDir = modelsDir
        if let requested {
            name = requested
            fallbackNotice = nil
            return
        }
        let store = try? ModelStore(folder: modelsDir)
        let present = store.flatMap { store in
            store.manifest.entry(named: Self.defaultModel).map { store.presence(of: $0).best != nil }
        } ?? false
        if present {
            name = Self.defaultModel
            fallbackNotice = nil
        } else {
            name = Self.demoModel
            fallbackNotice = "\(Self.defaultModel) is not downloaded: using the demo model (F8 downloads \(Self.defaultModel))"
        }
    }

    /// The `--model` (and `--models-dir`) arguments that name this model.
    var arguments: [String] {
        ["--model", name] + (modelsDir.map { ["--models-dir", $0] } ?? [])
    }

    /// Loads the model on its own thread (it memory-maps and may quantize for a while).
    func load(engine: EngineOptions) async throws -> LoadedModel {
        let arguments = self.arguments
        let name = displayName
        let source = self.name
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    let options = try ModelOptions.parse(arguments)
                    let tokenizer = try options.loadTokenizer()
                    let model = try engine.load(options)
                    guard tokenizer.vocabularySize <= model.config.vocabSize else {
                        throw CommandLineFailure.runtime("\(name): the tokenizer has \(tokenizer.vocabularySize) tokens but the model only \(model.config.vocabSize)")
                    }
                    let int8 = engine.precision == .int8
                    let summary = ModelSummary(
                        name: name, precision: int8 ? "int8 (Q8_0)" : "fp32",
                        threads: engine.threadCount, contextSize: model.config.nPositions, source: source)
                    let generator = GenerationEngine(model: model, tokenizer: tokenizer)
                    continuation.resume(returning: LoadedModel(summary: summary, tokenizer: tokenizer, generator: generator))
                } catch let failure as CommandLineFailure {
                    continuation.resume(throwing: ModelLoadFailure(message: failure.message, hint: Self.hint(for: failure.message, name: name)))
                } catch {
                    continuation.resume(throwing: ModelLoadFailure(message: "\(error)"))
                }
            }
        }
    }

    /// How to fix a model that is missing.
    private static func hint(for message: String, name: String) -> String? {
        if message.contains("not downloaded") { return "Download it with `gpt2-tui download \(name)` (or F8 for gpt2), or pick another with --model." }
        if message.contains("no model at") { return "See `gpt2-tui models` for the known models, or pass a folder or .gguf file to --model." }
        return "Pick another model with --model (see `gpt2-tui models`)."
    }
}
