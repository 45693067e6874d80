import GPT2

/// Everything that can change the playground: input, the clock, the engine, and the results
/// of effects the program ran.
public enum Message: Equatable, Sendable {
    case input(InputEvent)
    case tick(now: Double)
    case modelLoaded(ModelSummary)
    case modelFailed(message: String, hint: String?)
    case downloadProgress(fraction: Double?, detail: String)
    case downloadFailed(message: String, hint: String?)
    case engine(runID: Int, PlaygroundEvent)
    case promptTokens(Int)
    case editorFinished(String)
    case memory(bytes: Int)
    case notice(String, isError: Bool)
    case themeChanged(name: String)
    case promptHistory([String])
    case presetsSaved([Preset])
    case historyOpened([HistoryEntry])
    case historyMatches(query: String, [Int])
    /// A saved run to put back: its prompt, parameters and the seed it used.
    case historyRestored(id: String, GenerationRequest, rerun: Bool)
}

/// What `update` asks the program to do; the results come back as messages.
public enum Effect: Equatable, Sendable {
    case startRun(id: Int, GenerationRequest)
    case updateParameters(GenerationParameters)
    case cancelRun
    case continueRun(id: Int, tokens: Int)
    /// Put text on the clipboard (OSC 52); `what` names it in the notice.
    case copyToClipboard(String, what: String)
    /// Write text to a new file named after `suggestedName` in the working folder.
    case saveText(String, suggestedName: String)
    case openEditor(String)
    case saveHistory(GenerationResult)
    case switchTheme(String)
    case savePreset(name: String, GenerationParameters)
    case downloadModel
    case openHistory
    case searchHistory(String)
    case restoreHistory(id: String, rerun: Bool)
    case starHistory(id: String, starred: Bool)
    case tagHistory(id: String, tags: [String])
    case trashHistory(id: String)
    case exportHistory(id: String)
    case quit
}
