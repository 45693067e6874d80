import Foundation

/// The known models (`weights/models.json`): GPT-2 checkpoints on the Hugging Face hub, and local
/// files shipped with the project. Decoding checks the whole document, so a typo in the manifest
/// is one clear error rather than a download that fails later.
public struct ModelManifest: Equatable, Sendable {
    /// The manifest's file name inside the models folder.
    public static let fileName = "models.json"

    /// One known model.
    public struct Entry: Equatable, Sendable {
        /// The short name users type: `gpt2`, `gpt2-medium`, `demo` …
        public var name: String
        public var description: String
        /// The number of parameters, where known.
        public var parameters: Int?
        /// Where the model comes from.
        public var source: Source

        public enum Source: Equatable, Sendable {
            /// A hub repository (`openai-community/gpt2`) at a revision (`main`), with the files to fetch.
            case hub(repository: String, revision: String, files: [File])
            /// A file inside the models folder (`demo/shakespeare-q8_0.gguf`), not downloaded.
            case local(path: String)
        }

        /// The hub repository, for a hub model.
        public var repository: String? {
            if case .hub(let repository, _, _) = source { return repository }
            return nil
        }
    }

    /// A file of a hub model, with its size and sha256 when the manifest pins them.
    public struct File: Equatable, Sendable {
        public var name: String
        public var size: Int?
        public var sha256: String?

        public init(name: String, size: Int? = nil, sha256: String? = nil) {
            self.name = name
            self.size = size
            self.sha256 = sha256
        }
    }

    public var version: Int
    public var models: [Entry]

    public init(version: Int = 1, models: [Entry]) {
        self.version = version
        self.models = models
    }

    /// The entry named `name`, if any.
    public func entry(named name: String) -> Entry? {
        models.first { $0.name == name }
    }

    /// The error of a manifest that cannot be used, naming the model and field at fault.
    public struct InvalidManifest: Error, Equatable, CustomStringConvertible, Sendable {
        public var reason: String
        public var description: String { "invalid model manifest: \(reason)" }
    }

    /// Decodes and validates `data`, the JSON of `models.json`.
    public init(data: Data) throws {
        let document: ManifestDocument
        do {
            document = try JSONDecoder().decode(ManifestDocument.self, from: data)
        } catch let error as DecodingError {
            throw InvalidManifest(reason: Self.describe(error))
        }
        guard document.version == 1 else {
            throw InvalidManifest(reason: "unsupported version \(document.version) (expected 1)")
        }
        var seen = Set<String>()
        models = try document.models.map { model in
            func invalid(_ reason: String) -> InvalidManifest {
                InvalidManifest(reason: "model \"\(model.name)\": \(reason)")
            }
            guard Self.isValidName(model.name) else {
                throw InvalidManifest(reason: "model name \"\(model.name)\" must be letters, digits, '.', '_' or '-'")
            }
            guard seen.insert(model.name).inserted else { throw invalid("listed twice") }
            if let parameters = model.parameters, parameters <= 0 { throw invalid("parameters must be positive") }
            let source: Entry.Source
            switch (model.repository, model.local) {
            case (let repository?, nil):
                let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count == 2, parts.allSatisfy({ Self.isValidName(String($0)) }) else {
                    throw invalid("repository \"\(repository)\" must be ORGANIZATION/NAME")
                }
                let revision = model.revision ?? "main"
                guard !revision.isEmpty, !revision.contains(".."), !revision.hasPrefix("/") else {
                    throw invalid("revision \"\(revision)\" is not valid")
                }
                guard let files = model.files, !files.isEmpty else { throw invalid("a hub model needs \"files\"") }
                var names = Set<String>()
                for file in files {
                    guard Self.isValidRelativePath(file.name) else { throw invalid("file \"\(file.name)\" is not a relative path") }
                    guard names.insert(file.name).inserted else { throw invalid("file \"\(file.name)\" listed twice") }
                    if let size = file.size, size < 0 { throw invalid("file \"\(file.name)\": size must not be negative") }
                    if let sha256 = file.sha256, !Self.isSHA256(sha256) {
                        throw invalid("file \"\(file.name)\": sha256 must be 64 hexadecimal digits")
                    }
                }
                source = .hub(repository: repository, revision: revision, files: files)
            case (nil, let local?):
                guard Self.isValidRelativePath(local) else { throw invalid("local \"\(local)\" is not a relative path") }
                guard model.files == nil, model.revision == nil else {
                    throw invalid("a local model has no \"files\" or \"revision\"")
                }
                source = .local(path: local)
            case (nil, nil):
                throw invalid("needs \"repository\" (a hub model) or \"local\" (a file in the models folder)")
            case (_?, _?):
                throw invalid("has both \"repository\" and \"local\"")
            }
            return Entry(name: model.name, description: model.description ?? "", parameters: model.parameters, source: source)
        }
        version = document.version
    }

    /// Reads `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InvalidManifest(reason: "cannot read \(url.path)")
        }
        do {
            try self.init(data: data)
        } catch let error as InvalidManifest {
            throw InvalidManifest(reason: "\(url.path): \(error.reason)")
        }
    }

    /// The manifest in `modelsFolder` (`models.json`) if there is one, else the copy built into
    /// the program (the same as `weights/models.json` in the repository).
    public static func load(modelsFolder: URL) throws -> ModelManifest {
        let file = modelsFolder.appending(path: fileName)
        if FileManager.default.fileExists(atPath: file.path) {
            return try ModelManifest(contentsOf: file)
        }
        return builtIn
    }

    /// The built-in manifest.
    public static var builtIn: ModelManifest {
        // The literal is checked by the tests against weights/models.json.
        // swiftlint:disable:next force_try
        try! ModelManifest(data: Data(builtInJSON.utf8))
    }

    // MARK: - Checks

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
        }
    }

    static func isValidRelativePath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return !path.hasPrefix("/") && parts.allSatisfy { isValidName(String($0)) }
    }

    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the document" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context)): missing \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The JSON as written, before validation.
private struct ManifestDocument: Decodable {
    var version: Int
    var models: [Model]

    struct Model: Decodable {
        var name: String
        var description: String?
        var parameters: Int?
        var repository: String?
        var revision: String?
        var files: [ModelManifest.File]?
        var local: String?
    }
}

extension ModelManifest.File: Decodable {
    private enum CodingKeys: String, CodingKey { case name, size, sha256 }

    /// A file is its name, or an object with its name and optionally its size and sha256.
    public init(from decoder: Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) {
            self.init(name: name)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try container.decode(String.self, forKey: .name),
                  size: try container.decodeIfPresent(Int.self, forKey: .size),
                  sha256: try container.decodeIfPresent(String.self, forKey: .sha256)?.lowercased())
    }
}
