import ArgumentParser
import Foundation
import GPT2

/// The models folder option of `models` and `download`.
struct ModelsFolderOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The folder of downloaded models (default: $GPT2_TUI_MODELS, else ./weights).", valueName: "dir"))
    var modelsDir: String?

    func store() throws -> ModelStore {
        do {
            return try ModelStore(folder: modelsDir)
        } catch {
            throw CommandLineFailure.runtime("\(error)")
        }
    }
}

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the known models and what of them is on this machine.",
        discussion: """
            A model is found in the models folder (NAME/ with its files, and NAME/NAME-q8_0.gguf once \
            quantized) or in the Hugging Face cache ($HF_HUB_CACHE, else $HF_HOME/hub, else \
            ~/.cache/huggingface/hub). Any of these names works with --model.
            """
    )

    @OptionGroup var folderOptions: ModelsFolderOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let store = try folderOptions.store()
        let rows = store.manifest.models.map { ($0, store.presence(of: $0)) }
        if json {
            var models: [[String: Any]] = []
            for (entry, presence) in rows {
                var object: [String: Any] = ["name": entry.name, "description": entry.description]
                if let parameters = entry.parameters { object["parameters"] = parameters }
                switch entry.source {
                case .hub(let repository, let revision, let files):
                    object["repository"] = repository
                    object["revision"] = revision
                    object["files"] = files.map(\.name)
                case .local(let path):
                    object["local"] = path
                }
                if let gguf = presence.gguf { object["gguf"] = gguf.path }
                if let folder = presence.folder { object["folder"] = folder.path }
                if let cache = presence.cache { object["huggingface_cache"] = cache.path }
                object["present"] = presence.best != nil
                if presence.partial { object["partly_downloaded"] = true }
                models.append(object)
            }
            let document: [String: Any] = [
                "models_dir": store.folder.path, "huggingface_cache": store.cache.root.path, "models": models,
            ]
            let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("models folder: \(store.folder.path)")
        print("Hugging Face cache: \(store.cache.root.path)")
        print("")
        let nameWidth = max(4, rows.map(\.0.name.count).max() ?? 0)
        print(Self.pad("NAME", nameWidth) + "  " + Self.pad("PARAMS", 6) + "  DESCRIPTION")
        for (entry, presence) in rows {
            let parameters = entry.parameters.map(Self.parameterLabel) ?? "-"
            print(Self.pad(entry.name, nameWidth) + "  " + Self.pad(parameters, 6) + "  " + entry.description)
            let indent = String(repeating: " ", count: nameWidth + 2)
            switch entry.source {
            case .hub(let repository, _, _):
                if let gguf = presence.gguf { print(indent + "quantized:  \(gguf.path)") }
                if let folder = presence.folder { print(indent + "downloaded: \(folder.path)") }
                if let cache = presence.cache { print(indent + "in the Hugging Face cache: \(cache.path)") }
                if presence.partial && presence.folder == nil {
                    print(indent + "partly downloaded: gpt2-tui download \(entry.name) resumes it")
                } else if presence.best == nil {
                    print(indent + "not downloaded: gpt2-tui download \(entry.name)  (from \(repository))")
                }
            case .local(let path):
                if let gguf = presence.gguf {
                    print(indent + "bundled:    \(gguf.path)")
                } else {
                    print(indent + "missing:    \(store.folder.appending(path: path).path)")
                }
            }
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// 124439808 → "124M", 1557611200 → "1.6B".
    static func parameterLabel(_ count: Int) -> String {
        if count >= 1_000_000_000 { return String(format: "%.1fB", Double(count) / 1e9) }
        if count >= 1_000_000 { return "\(Int((Double(count) / 1e6).rounded()))M" }
        return "\(count)"
    }
}
