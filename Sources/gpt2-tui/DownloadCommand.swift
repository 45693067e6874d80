import ArgumentParser
import Foundation
import GPT2

struct DownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a known model from the Hugging Face hub and quantize it.",
        discussion: """
            Fetches the model's files from $HF_ENDPOINT (default https://huggingface.co) into \
            MODELS/NAME/, checking each file's size and sha256 against the hub's; an interrupted \
            download is resumed the next time. A model already in the Hugging Face cache is used \
            from there. Then writes MODELS/NAME/NAME-q8_0.gguf for the int8 engine.
            """
    )

    @Argument(help: "The model's name (see `gpt2-tui models`).")
    var name: String

    @OptionGroup var folderOptions: ModelsFolderOptions

    @Flag(help: "Do not write the Q8_0 GGUF file.")
    var noQuantize = false

    @Option(help: ArgumentHelp("Give up when the server sends nothing for this many seconds.", valueName: "seconds"))
    var timeout: Double = 30

    func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func run() throws {
        let installer = ModelInstaller(store: try folderOptions.store(), timeout: timeout)
        let transcript = DownloadTranscript(name: name)
        do {
            try installer.install(name, quantize: !noQuantize, report: transcript.show)
        } catch {
            transcript.abandon()
            var message = error.description
            if error.isResumable { message += ", run the command again to resume" }
            throw error.isUsageError ? CommandLineFailure.usage(message) : CommandLineFailure.runtime(message)
        }
    }
}
