import ArgumentParser
import Foundation
import GPT2

/// `--model`, shared by every subcommand that needs one. This is the one place that turns the
/// flag into a model: a Hugging Face folder or a GGUF file, given by its path or by the name of a
/// known model (`gpt2-tui models`).
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A Hugging Face model folder (config.json, model.safetensors, vocab.json, merges.txt), a GPT-2 .gguf file, or the name of a known model (see `gpt2-tui models`).",
        valueName: "dir|file.gguf|name"))
    var model: String

    @Option(name: .long, help: ArgumentHelp(
        "The folder of downloaded models (default: $GPT2_TUI_MODELS, else ./weights).", valueName: "dir"))
    var modelsDir: String?

    /// Where the model comes from.
    enum Source {
        case huggingFaceFolder(URL)
        case gguf(URL)

        /// The files the model is read from.
        var inputFiles: [URL] {
            switch self {
            case .huggingFaceFolder(let folder):
                return ["config.json", "model.safetensors", "vocab.json", "merges.txt"].map { folder.appendingPathComponent($0) }
            case .gguf(let file):
                return [file]
            }
        }
    }

    /// The folder or GGUF file `--model` names, in this order: a path that exists; a known model
    /// in the models folder (its quantized GGUF, else its folder); a known model in the Hugging
    /// Face cache.
    func source() throws -> Source {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory) {
            return try Self.source(path: model, isDirectory: isDirectory.boolValue)
        }
        let store: ModelStore
        do {
            store = try ModelStore(folder: modelsDir)
        } catch {
            throw CommandLineFailure.runtime("\(error)")
        }
        guard let entry = store.manifest.entry(named: model) else {
            throw CommandLineFailure.runtime("no model at \(model) (and no known model of that name; see `gpt2-tui models`)")
        }
        guard let found = store.presence(of: entry).best else {
            if case .local(let path) = entry.source {
                throw CommandLineFailure.runtime("\(model) is not at \(store.folder.appending(path: path).path)")
            }
            throw CommandLineFailure.runtime("\(model) is not downloaded; run `gpt2-tui download \(model)`")
        }
        _ = FileManager.default.fileExists(atPath: found.path, isDirectory: &isDirectory)
        return try Self.source(path: found.path, isDirectory: isDirectory.boolValue)
    }

    private static func source(path: String, isDirectory: Bool) throws -> Source {
        if isDirectory {
            return .huggingFaceFolder(URL(fileURLWithPath: path, isDirectory: true))
        }
        guard path.lowercased().hasSuffix(".gguf") else {
            throw CommandLineFailure.runtime("\(path) is neither a model folder nor a .gguf file")
        }
        return .gguf(URL(fileURLWithPath: path, isDirectory: false))
    }

    /// The model's tokenizer: the folder's vocab.json and merges.txt, or the GGUF's metadata.
    func loadTokenizer() throws -> GPT2Tokenizer {
        let source = try source()
        return try reporting {
            switch source {
            case .huggingFaceFolder(let folder):
                return try GPT2Tokenizer(
                    vocabURL: folder.appendingPathComponent("vocab.json"),
                    mergesURL: folder.appendingPathComponent("merges.txt"))
            case .gguf(let file):
                return try GPT2Tokenizer.load(gguf: GGUFFile(url: file))
            }
        }
    }

    /// The fp32 model (a GGUF's tensors dequantized).
    func loadModel() throws -> GPT2Model {
        let source = try source()
        return try reporting {
            switch source {
            case .huggingFaceFolder(let folder):
                return GPT2Model(weights: try GPT2Weights.load(huggingFaceFolder: folder))
            case .gguf(let file):
                return GPT2Model(weights: try GPT2Weights.load(ggufURL: file))
            }
        }
    }

    /// The int8 engine: a Q8_0 GGUF is used in place from its memory map; F16/F32 files and
    /// Hugging Face folders are quantized to Q8_0 while loading.
    func loadQuantizedModel(threads: Int) throws -> QuantizedGPT2Model {
        let source = try source()
        let weights = try reporting {
            switch source {
            case .huggingFaceFolder(let folder):
                let fp32 = try GPT2Weights.load(huggingFaceFolder: folder)
                guard fp32.config.nEmbd % 32 == 0 else {
                    throw CommandLineFailure.runtime("\(model): the int8 engine needs n_embd to be a multiple of 32 (it is \(fp32.config.nEmbd)); use --precision fp32")
                }
                return try QuantizedGPT2Weights(quantizing: fp32)
            case .gguf(let file):
                return try QuantizedGPT2Weights.load(ggufURL: file)
            }
        }
        return QuantizedGPT2Model(weights: weights, threads: threads)
    }

    /// Runs `body`, turning its errors into one runtime line that names the model.
    private func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as CommandLineFailure {
            throw failure
        } catch {
            throw CommandLineFailure.runtime("\(model): \(error)")
        }
    }
}
