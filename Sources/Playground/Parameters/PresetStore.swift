import Foundation
import GPT2

/// The user's presets, kept in `presets.json` in the playground's configuration folder:
///
/// ```json
/// {
///     "version": 1,
///     "presets": {
///         "long-beam": { "max_length": 300, "mode": "beam", "num_beams": 8, ... }
///     }
/// }
/// ```
///
/// Each preset holds every parameter under its request key (`seed` -1 for random;
/// `no_repeat_ngram_size` absent when it follows the mode). A file that cannot be read is
/// reported in one line naming it and is never overwritten; saving writes a temporary file
/// beside it and renames it into place, so a crash leaves the old file or the new one.
public struct PresetStore: Sendable {
    public static let fileName = "presets.json"
    static let version = 1
    /// Longest preset name, in characters.
    public static let maximumNameLength = 40

    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public var file: URL { directory.appendingPathComponent(Self.fileName) }

    /// The playground's configuration folder: `$XDG_CONFIG_HOME/gpt2-tui`, else
    /// `$HOME/.config/gpt2-tui`; nil when neither variable gives an absolute path.
    public static func defaultDirectory(environment: [String: String]) -> URL? {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return URL(fileURLWithPath: config, isDirectory: true).appendingPathComponent("gpt2-tui", isDirectory: true)
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return URL(fileURLWithPath: home, isDirectory: true)
                .appendingPathComponent(".config", isDirectory: true).appendingPathComponent("gpt2-tui", isDirectory: true)
        }
        return nil
    }

    /// The built-in presets and the saved ones; when the file is bad, the built-ins alone and
    /// the reason.
    public func catalog() -> PresetCatalog {
        do {
            return PresetCatalog(saved: try load(), problem: nil)
        } catch {
            return PresetCatalog(saved: [], problem: error.description)
        }
    }

    /// The saved presets, by name; none when there is no file yet.
    public func load() throws(PresetError) -> [Preset] {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch CocoaError.fileReadNoSuchFile {
            return []
        } catch {
            throw .unreadable(file: file.path, reason: Self.reason(error))
        }
        return try decode(data)
    }

    /// Saves `parameters` as the preset `name` (replacing a saved one of that name) and returns
    /// the saved presets.
    @discardableResult
    public func save(name: String, parameters: GenerationParameters) throws(PresetError) -> [Preset] {
        let name = try Self.checkedName(name)
        do {
            try parameters.validate()
        } catch {
            throw .invalidPreset(file: file.path, name: name, reason: error.description)
        }
        var presets = try load().filter { $0.name != name }
        presets.append(Preset(name: name, parameters: parameters))
        try write(presets)
        return presets.sorted { $0.name < $1.name }
    }

    /// Deletes the saved preset `name` and returns the saved presets left.
    @discardableResult
    public func delete(name: String) throws(PresetError) -> [Preset] {
        if Preset.isBuiltInName(name) { throw .builtInName(name) }
        let presets = try load()
        guard presets.contains(where: { $0.name == name }) else { throw .notFound(name) }
        let kept = presets.filter { $0.name != name }
        try write(kept)
        return kept
    }

    /// `name` without surrounding spaces, if it is a name a preset may take.
    public static func checkedName(_ name: String) throws(PresetError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .invalidName(name, reason: "it is empty") }
        guard trimmed.count <= maximumNameLength else {
            throw .invalidName(name, reason: "it is longer than \(maximumNameLength) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: { TextWidth.isControl($0) }) else {
            throw .invalidName(name, reason: "it holds control characters")
        }
        guard !Preset.isBuiltInName(trimmed) else { throw .builtInName(trimmed) }
        return trimmed
    }

    // MARK: - File format

    private func decode(_ data: Data) throws(PresetError) -> [Preset] {
        func invalid(_ reason: String) -> PresetError { .invalidFile(file: file.path, reason: reason) }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw invalid("not valid JSON")
        }
        guard let top = object as? [String: Any] else { throw invalid("the file must hold a JSON object") }
        if let unknown = top.keys.sorted().first(where: { $0 != "version" && $0 != "presets" }) {
            throw invalid("unknown key \"\(unknown)\"")
        }
        guard let version = top["version"] as? Int, version >= 1 else { throw invalid("\"version\" must be a positive integer") }
        guard version <= Self.version else {
            throw invalid("version \(version) was written by a newer gpt2-tui (this one reads version \(Self.version))")
        }
        guard let entries = top["presets"] as? [String: Any] else { throw invalid("\"presets\" must be an object of named presets") }
        var presets: [Preset] = []
        for (name, value) in entries.sorted(by: { $0.key < $1.key }) {
            presets.append(try preset(named: name, from: value))
        }
        return presets
    }

    private func preset(named name: String, from value: Any) throws(PresetError) -> Preset {
        func invalid(_ reason: String) -> PresetError { .invalidPreset(file: file.path, name: name, reason: reason) }
        let checked: String
        do {
            checked = try Self.checkedName(name)
        } catch .invalidName(_, let reason) {
            throw invalid("the name is not valid: \(reason)")
        } catch .builtInName {
            throw invalid("the name is taken by a built-in preset")
        }
        guard checked == name else { throw invalid("the name has surrounding spaces") }
        guard var members = value as? [String: Any] else { throw invalid("must be a JSON object of parameters") }
        guard members["input"] == nil else { throw invalid("a preset holds no \"input\"") }
        // The request reader checks every key and value; a preset is a request without input.
        members["input"] = ""
        let parameters: GenerationParameters
        do {
            let data = try JSONSerialization.data(withJSONObject: members, options: [])
            parameters = try GenerationRequest(json: data).parameters
        } catch let error as RequestError {
            switch error {
            case let .invalidField(key, reason): throw invalid("key \"\(key)\" \(reason)")
            case let .invalidJSON(reason): throw invalid(reason)
            }
        } catch {
            throw invalid(error.localizedDescription)
        }
        do {
            try parameters.validate()
        } catch {
            throw invalid(error.description)
        }
        let adjusted = ParameterField.clampedToRanges(parameters).adjusted
        guard adjusted.isEmpty else { throw invalid("\(adjusted.joined(separator: ", ")) outside the panel's range") }
        return Preset(name: name, parameters: parameters)
    }

    private func write(_ presets: [Preset]) throws(PresetError) {
        let members = presets.sorted { $0.name < $1.name }.map { preset in
            (key: preset.name, value: ParameterJSON.Value.object(ParameterJSON.members(of: preset.parameters, complete: true)))
        }
        let text = ParameterJSON.object([("version", .integer(Self.version)), ("presets", .object(members))]) + "\n"
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // .atomic writes a temporary file in the same folder and renames it over the file.
            try Data(text.utf8).write(to: file, options: .atomic)
        } catch {
            throw .unwritable(file: file.path, reason: Self.reason(error))
        }
    }

    /// The system's reason for a file error, without Foundation's wrapping sentences.
    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? Error, (underlying as NSError).domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32((underlying as NSError).code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }
}

/// The presets to choose from: the built-in ones always, then the saved ones unless the file
/// could not be read, in which case `problem` says why in one line.
public struct PresetCatalog: Equatable, Sendable {
    public let saved: [Preset]
    public let problem: String?

    public init(saved: [Preset], problem: String?) {
        self.saved = saved
        self.problem = problem
    }

    public var all: [Preset] { Preset.builtIns + saved }

    public func preset(named name: String) -> Preset? {
        all.first { $0.name == name }
    }
}

/// Why presets could not be read, saved or deleted; one line, naming the file or preset.
public enum PresetError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case invalidFile(file: String, reason: String)
    case invalidPreset(file: String, name: String, reason: String)
    case unwritable(file: String, reason: String)
    case invalidName(String, reason: String)
    case builtInName(String)
    case notFound(String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): return "\(file): cannot read the presets: \(reason)"
        case let .invalidFile(file, reason): return "\(file): \(reason)"
        case let .invalidPreset(file, name, reason): return "\(file): preset \"\(name)\": \(reason)"
        case let .unwritable(file, reason): return "\(file): cannot save the presets: \(reason)"
        case let .invalidName(name, reason): return "\"\(name)\" cannot name a preset: \(reason)"
        case let .builtInName(name): return "\"\(name)\" is a built-in preset; choose another name"
        case let .notFound(name): return "no saved preset is named \"\(name)\""
        }
    }
}
