import Foundation

/// Where models live: the models folder (`weights/` by default, `NAME/` inside it for each
/// downloaded model, next to its quantized `NAME-q8_0.gguf`), the manifest of known models, and
/// the Hugging Face cache, which is used in place when it already holds a model.
public struct ModelStore: Sendable {
    /// The environment variable that overrides the models folder.
    public static let folderVariable = "GPT2_TUI_MODELS"

    public var folder: URL
    public var manifest: ModelManifest
    public var cache: HuggingFaceCache

    public init(folder: URL, manifest: ModelManifest, cache: HuggingFaceCache) {
        self.folder = folder
        self.manifest = manifest
        self.cache = cache
    }

    /// The store of `folder` (else `$GPT2_TUI_MODELS`, else `weights` in the current folder), its
    /// manifest (its own `models.json`, else the built-in one) and the environment's hub cache.
    public init(folder: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let path = folder ?? environment[Self.folderVariable].flatMap { $0.isEmpty ? nil : $0 } ?? "weights"
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath, isDirectory: true)
        self.init(folder: url, manifest: try ModelManifest.load(modelsFolder: url), cache: HuggingFaceCache(environment: environment))
    }

    /// `FOLDER/NAME`: where `download` puts a hub model's files.
    public func downloadFolder(_ entry: ModelManifest.Entry) -> URL {
        folder.appending(path: entry.name, directoryHint: .isDirectory)
    }

    /// `FOLDER/NAME/NAME-q8_0.gguf`: the model converted for the int8 engine.
    public func quantizedFile(_ entry: ModelManifest.Entry) -> URL {
        downloadFolder(entry).appending(path: "\(entry.name)-q8_0.gguf")
    }

    /// What of a model is on this machine.
    public struct Presence: Equatable, Sendable {
        /// The Q8_0 GGUF in the models folder (or a local model's file).
        public var gguf: URL?
        /// The complete Hugging Face folder in the models folder.
        public var folder: URL?
        /// The complete snapshot in the Hugging Face cache.
        public var cache: URL?
        /// Whether the models folder holds some of the files but not all (an unfinished download).
        public var partial = false

        /// The best thing to load: the GGUF, else the folder, else the cache's snapshot.
        public var best: URL? { gguf ?? folder ?? cache }
    }

    public func presence(of entry: ModelManifest.Entry) -> Presence {
        let fileManager = FileManager.default
        func isFile(_ url: URL) -> Bool {
            var isDirectory: ObjCBool = false
            return fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        switch entry.source {
        case .local(let path):
            let file = folder.appending(path: path)
            return Presence(gguf: isFile(file) ? file : nil)
        case .hub(let repository, let revision, let files):
            let downloaded = downloadFolder(entry)
            let complete = files.allSatisfy { isFile(downloaded.appending(path: $0.name)) }
            let started = files.contains {
                isFile(downloaded.appending(path: $0.name)) || isFile(downloaded.appending(path: $0.name + ".incomplete"))
            }
            return Presence(
                gguf: isFile(quantizedFile(entry)) ? quantizedFile(entry) : nil,
                folder: complete ? downloaded : nil,
                cache: cache.snapshot(repository: repository, revision: revision, files: files.map(\.name)),
                partial: started && !complete)
        }
    }
}
