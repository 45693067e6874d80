import ArgumentParser
import Foundation
import GPT2

/// `--model`, shared by every subcommand that needs one.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A Hugging Face model folder (config.json, model.safetensors, vocab.json, merges.txt).", valueName: "dir"))
    var model: String

    var folder: URL { URL(fileURLWithPath: model, isDirectory: true) }

    /// The tokenizer of the model folder.
    func loadTokenizer() throws -> GPT2Tokenizer {
        try checkFolder()
        do {
            return try GPT2Tokenizer(
                vocabURL: folder.appendingPathComponent("vocab.json"),
                mergesURL: folder.appendingPathComponent("merges.txt"))
        } catch {
            throw CommandLineFailure.runtime("\(model): \(error)")
        }
    }

    /// The fp32 model of the folder.
    func loadModel() throws -> GPT2Model {
        try checkFolder()
        do {
            return GPT2Model(weights: try GPT2Weights.load(huggingFaceFolder: folder))
        } catch {
            throw CommandLineFailure.runtime("\(model): \(error)")
        }
    }

    private func checkFolder() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory) else {
            throw CommandLineFailure.runtime("no model at \(model)")
        }
        guard isDirectory.boolValue else {
            throw CommandLineFailure.runtime("\(model) is not a model folder (GGUF files are read by the int8 engine, not available yet)")
        }
    }
}
