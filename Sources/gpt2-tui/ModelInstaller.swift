import Foundation
import GPT2

/// Puts a known model on this machine, for `gpt2-tui download` and the playground's download
/// key alike: its files from the hub into MODELS/NAME/ (unless the models folder or the Hugging
/// Face cache already has them), each checked and renamed into place only when complete, then
/// the Q8_0 GGUF beside them. What happens is told to `report` as it happens; how it is shown
/// (a terminal bar, plain lines, the playground's progress box) is the caller's business.
struct ModelInstaller: Sendable {
    /// One step of an installation, in the order they happen.
    enum Event: Sendable {
        /// A bundled model that is present: there is nothing to do.
        case bundled(URL)
        case alreadyDownloaded(URL)
        case foundInCache(URL)
        /// The hub was asked about every missing file: `totals` are their sizes (nil where the
        /// hub does not say), `present` the bytes of each already on disk from an earlier try.
        case planned(files: [String], totals: [Int64?], present: [Int64])
        case fileStarted(file: String, total: Int64?, resumingFrom: Int64)
        /// `done` bytes of the file are on disk.
        case fileProgress(file: String, done: Int64, total: Int64?)
        case fileFinished(file: String)
        case downloaded(URL)
        case alreadyQuantized(URL)
        case quantizing(output: URL, written: Int, total: Int)
        case quantized(URL)
    }

    let store: ModelStore
    /// Where `HF_ENDPOINT` and `HF_TOKEN` are read from.
    var environment: [String: String] = ProcessInfo.processInfo.environment
    /// Seconds without any data after which a request is given up.
    var timeout: Double = 30

    /// Installs the model `name`; with `quantize` false, stops once its files are present.
    func install(_ name: String, quantize: Bool = true, report: @escaping @Sendable (Event) -> Void) throws(ModelInstallError) {
        guard let entry = store.manifest.entry(named: name) else {
            throw .unknownModel(name: name, known: store.manifest.models.map(\.name))
        }
        let presence = store.presence(of: entry)
        let repository: String, revision: String, files: [ModelManifest.File]
        switch entry.source {
        case .local(let path):
            guard let gguf = presence.gguf else {
                throw .bundledModelMissing(name: name, path: store.folder.appending(path: path).path)
            }
            report(.bundled(gguf))
            return
        case .hub(let hubRepository, let hubRevision, let hubFiles):
            (repository, revision, files) = (hubRepository, hubRevision, hubFiles)
        }

        let folder: URL
        if let downloaded = presence.folder {
            folder = downloaded
            report(.alreadyDownloaded(downloaded))
        } else if let cached = presence.cache {
            folder = cached
            report(.foundInCache(cached))
        } else {
            folder = store.downloadFolder(entry)
            try fetch(name, repository: repository, revision: revision, files: files, into: folder, report: report)
            report(.downloaded(folder))
        }
        if quantize {
            try self.quantize(name, folder: folder, to: store.quantizedFile(entry), report: report)
        }
    }

    /// Downloads the files not yet complete in `folder`: first asks the hub about each (so a
    /// missing one fails before anything large is fetched, and the sizes add up to a total),
    /// then fetches them one after the other.
    private func fetch(_ name: String, repository: String, revision: String, files: [ModelManifest.File], into folder: URL,
                       report: @escaping @Sendable (Event) -> Void) throws(ModelInstallError) {
        let client: HubClient
        do {
            client = try HubClient(environment: environment, timeout: timeout)
        } catch {
            throw .badEndpoint(reason: "\(error)")
        }
        // A file under its own name is complete and was checked when it was renamed.
        let missing = files.filter { !FileManager.default.fileExists(atPath: folder.appending(path: $0.name).path) }
        var plans: [(file: ModelManifest.File, metadata: HubFileMetadata, offset: Int64)] = []
        for file in missing {
            do {
                let metadata = try client.metadata(repository: repository, revision: revision, file: file.name)
                plans.append((file, metadata, partialSize(file.name, in: folder)))
            } catch {
                throw failure(name, file: file.name, in: folder, error)
            }
        }
        report(.planned(files: plans.map(\.file.name), totals: plans.map { $0.file.size.map(Int64.init) ?? $0.metadata.size },
                        present: plans.map(\.offset)))
        for (file, metadata, offset) in plans {
            report(.fileStarted(file: file.name, total: file.size.map(Int64.init) ?? metadata.size, resumingFrom: offset))
            do {
                try client.download(repository: repository, revision: revision, file: file, into: folder, metadata: metadata) { done, total in
                    report(.fileProgress(file: file.name, done: done, total: total))
                }
            } catch {
                throw failure(name, file: file.name, in: folder, error)
            }
            report(.fileFinished(file: file.name))
        }
    }

    private func quantize(_ name: String, folder: URL, to output: URL, report: @escaping @Sendable (Event) -> Void) throws(ModelInstallError) {
        if FileManager.default.fileExists(atPath: output.path) {
            report(.alreadyQuantized(output))
            return
        }
        do {
            try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: output.deletingLastPathComponent().path, reason: HubClientReason.of(error))
        }
        do {
            try GPT2GGUFConverter.convert(huggingFaceFolder: folder, to: output, fileType: .q8_0, identifier: name) { written, total in
                report(.quantizing(output: output, written: written, total: total))
            }
        } catch {
            throw .quantization(model: name, reason: "\(error)")
        }
        report(.quantized(output))
    }

    /// The bytes of `FILE.incomplete` left by an earlier try (0 when there is none).
    private func partialSize(_ file: String, in folder: URL) -> Int64 {
        let partial = folder.appending(path: file + ".incomplete")
        return (try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? Int64) ?? 0
    }

    private func failure(_ name: String, file: String, in folder: URL, _ error: Error) -> ModelInstallError {
        let kept = partialSize(file, in: folder)
        return .download(model: name, file: file, reason: "\(error)", kept: kept > 0 ? kept : nil)
    }
}

/// Why a model could not be installed, in one line that names the model and the file.
enum ModelInstallError: Error, CustomStringConvertible, Equatable {
    case unknownModel(name: String, known: [String])
    /// `HF_ENDPOINT` is not an address.
    case badEndpoint(reason: String)
    case bundledModelMissing(name: String, path: String)
    /// A file could not be fetched; `kept` bytes of it stay in `FILE.incomplete` to resume from.
    case download(model: String, file: String, reason: String, kept: Int64?)
    case unwritable(path: String, reason: String)
    case quantization(model: String, reason: String)

    var description: String {
        switch self {
        case let .unknownModel(name, known):
            return "unknown model \(name); known models: \(known.joined(separator: ", "))"
        case .badEndpoint(let reason):
            return reason
        case let .bundledModelMissing(name, path):
            return "\(name) is a bundled model, not on the hub, and it is not at \(path)"
        case let .download(model, file, reason, kept):
            var message = "\(model)/\(file): \(reason)"
            if let kept { message += "; \(DownloadProgress.bytes(kept)) kept in \(file).incomplete" }
            return message
        case let .unwritable(path, reason):
            return "cannot write \(path): \(reason)"
        case let .quantization(model, reason):
            return "\(model): \(reason)"
        }
    }

    /// Whether part of a file was kept, so that trying again resumes it.
    var isResumable: Bool {
        if case .download(_, _, _, let kept) = self { return kept != nil }
        return false
    }

    /// Whether the mistake is in what was asked (a name, an address) rather than in the run.
    var isUsageError: Bool {
        switch self {
        case .unknownModel, .badEndpoint: return true
        default: return false
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
