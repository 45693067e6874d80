import ArgumentParser
import Foundation
import GPT2

extension GGUFFileType: ExpressibleByArgument {}

struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Convert a model to a GGUF file that gpt2-tui and llama.cpp read.",
        discussion: """
            Reads a Hugging Face folder or a GGUF file and writes GPT-2 as llama.cpp's converter \
            does: weight matrices in the chosen type, vectors and the position embedding in F32, \
            the tokenizer in the metadata. The file appears only once it is complete.
            """
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: ArgumentHelp("The GGUF file to write.", valueName: "file.gguf"))
    var out: String

    @Option(help: "Type of the weight matrices: \(GGUFFileType.allCases.map(\.rawValue).joined(separator: ", ")).")
    var type: GGUFFileType = .q8_0

    func run() throws {
        let source = try modelOptions.source()
        let output = URL(fileURLWithPath: out)
        if let input = source.inputFiles.first(where: { Self.isSameFile($0, output) }) {
            throw CommandLineFailure.usage("--out \(out) is the input file \(input.path); choose another name")
        }
        let progress = ProgressBar(label: "quantize \(type.rawValue)")
        do {
            switch source {
            case .huggingFaceFolder(let folder):
                try GPT2GGUFConverter.convert(huggingFaceFolder: folder, to: output, fileType: type, progress: progress.update)
            case .gguf(let file):
                try GPT2GGUFConverter.convert(ggufURL: file, to: output, fileType: type, progress: progress.update)
            }
        } catch {
            progress.abandon()
            if let failure = error as? ModelFileError, case .unwritable = failure {
                throw CommandLineFailure.runtime("\(failure)")
            }
            throw CommandLineFailure.runtime("\(modelOptions.model): \(error)")
        }
        progress.finish()
    }

    /// Whether two paths name the same existing file (hard and symbolic links included).
    static func isSameFile(_ first: URL, _ second: URL) -> Bool {
        var a = stat(), b = stat()
        guard stat(first.path, &a) == 0, stat(second.path, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}
