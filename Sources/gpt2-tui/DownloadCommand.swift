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
        let store = try folderOptions.store()
        guard let entry = store.manifest.entry(named: name) else {
            let names = store.manifest.models.map(\.name).joined(separator: ", ")
            throw CommandLineFailure.usage("unknown model \(name); known models: \(names)")
        }
        let presence = store.presence(of: entry)
        guard case .hub(let repository, let revision, let files) = entry.source else {
            if let gguf = presence.gguf {
                print("\(name): bundled, at \(gguf.path); nothing to download")
                return
            }
            guard case .local(let path) = entry.source else { return }
            throw CommandLineFailure.runtime("\(name) is a bundled model, not on the hub, and it is not at \(store.folder.appending(path: path).path)")
        }

        let folder: URL
        if let downloaded = presence.folder {
            folder = downloaded
            print("\(name): already downloaded in \(downloaded.path)")
        } else if let cached = presence.cache {
            folder = cached
            print("\(name): found in the Hugging Face cache at \(cached.path); nothing to download")
        } else {
            folder = store.downloadFolder(entry)
            try fetch(repository: repository, revision: revision, files: files, into: folder)
            print("\(name): downloaded to \(folder.path)")
        }

        guard !noQuantize else { return }
        let output = store.quantizedFile(entry)
        if FileManager.default.fileExists(atPath: output.path) {
            print("\(name): already quantized, \(output.path)")
            return
        }
        do {
            try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw CommandLineFailure.runtime("cannot write \(output.deletingLastPathComponent().path): \(HubClientReason.of(error))")
        }
        let progress = ProgressBar(label: "quantize q8_0")
        do {
            try GPT2GGUFConverter.convert(huggingFaceFolder: folder, to: output, fileType: .q8_0, identifier: name, progress: progress.update)
        } catch {
            progress.abandon()
            throw CommandLineFailure.runtime("\(name): \(error)")
        }
        progress.finish()
        print("\(name): quantized to \(output.path)")
    }

    private func fetch(repository: String, revision: String, files: [ModelManifest.File], into folder: URL) throws {
        let client: HubClient
        do {
            client = try HubClient(timeout: timeout)
        } catch {
            throw CommandLineFailure.usage("\(error)")
        }
        for file in files {
            let destination = folder.appending(path: file.name)
            if FileManager.default.fileExists(atPath: destination.path) { continue }  // complete and checked
            let progress = DownloadProgress(label: "\(name)/\(file.name)")
            do {
                let metadata = try client.metadata(repository: repository, revision: revision, file: file.name)
                let partial = folder.appending(path: file.name + ".incomplete")
                let offset = (try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? Int64) ?? 0
                progress.begin(total: file.size.map(Int64.init) ?? metadata.size, resumingFrom: offset)
                try client.download(repository: repository, revision: revision, file: file, into: folder,
                                    metadata: metadata, progress: progress.update)
            } catch {
                progress.abandon()
                var message = "\(name)/\(file.name): \(error)"
                let partial = folder.appending(path: file.name + ".incomplete")
                if let size = try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? Int64, size > 0 {
                    message += "; \(DownloadProgress.bytes(size)) kept in \(partial.lastPathComponent), run the command again to resume"
                }
                throw CommandLineFailure.runtime(message)
            }
            progress.finish()
        }
    }
}

/// The reason of a file system error, without Foundation's long wording.
enum HubClientReason {
    static func of(_ error: Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }
}
