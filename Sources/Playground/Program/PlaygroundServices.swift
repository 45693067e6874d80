import Foundation
import GPT2

/// What the program calls out to: the model loader, themes, history, presets, the downloader
/// and the external editor. The executable fills it in; tests give their own.
public struct PlaygroundServices: Sendable {
    public var loadModel: @Sendable () async throws -> LoadedModel
    /// The theme of a name, and a one-line warning when it could not be read as asked.
    public var loadTheme: @Sendable (String) -> (theme: Theme, warning: String?)
    public var saveHistory: @Sendable (GenerationResult, ModelSummary) throws -> Void
    /// The history folder's store, for the history panel.
    public var history: HistoryStore
    /// Saves a preset; returns the user's presets as they now are.
    public var savePreset: @Sendable (String, GenerationParameters) throws -> [Preset]
    /// Downloads the default model, reporting progress, and loads it; nil when downloading is
    /// not possible.
    public var downloadModel: (@Sendable (_ progress: @escaping @Sendable (Double?, String) -> Void) async throws -> LoadedModel)?
    /// The command that edits a file (`$VISUAL`, else `$EDITOR`, else `vi`).
    public var editorCommand: String
    /// Where saved columns and exported runs go.
    public var outputFolder: URL

    public init(
        loadModel: @escaping @Sendable () async throws -> LoadedModel,
        loadTheme: @escaping @Sendable (String) -> (theme: Theme, warning: String?),
        saveHistory: @escaping @Sendable (GenerationResult, ModelSummary) throws -> Void,
        history: HistoryStore,
        savePreset: @escaping @Sendable (String, GenerationParameters) throws -> [Preset],
        downloadModel: (@Sendable (_ progress: @escaping @Sendable (Double?, String) -> Void) async throws -> LoadedModel)?,
        editorCommand: String,
        outputFolder: URL
    ) {
        self.loadModel = loadModel
        self.loadTheme = loadTheme
        self.saveHistory = saveHistory
        self.history = history
        self.savePreset = savePreset
        self.downloadModel = downloadModel
        self.editorCommand = editorCommand
        self.outputFolder = outputFolder
    }
}
