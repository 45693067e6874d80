import GPT2

/// The model the playground runs, as the status bar names it.
public struct ModelSummary: Equatable, Sendable {
    public var name: String
    /// "int8 (Q8_0)" or "fp32".
    public var precision: String
    public var threads: Int
    public var contextSize: Int
    /// Where the model came from, as `--model` names it (a known name or a path): what a saved
    /// run records.
    public var source: String

    public init(name: String, precision: String, threads: Int, contextSize: Int, source: String? = nil) {
        self.name = name
        self.precision = precision
        self.threads = threads
        self.contextSize = contextSize
        self.source = source ?? name
    }
}

/// Where the model stands: the UI works (and keeps what is typed) while it loads.
public enum ModelStatus: Equatable, Sendable {
    case loading(name: String)
    case ready(ModelSummary)
    /// `hint` says how to fix it (for example the download command).
    case failed(name: String, message: String, hint: String?)
    case downloading(name: String, progress: Double?, detail: String)
}

/// Which part of the screen the keys go to.
public enum Focus: Equatable, Sendable {
    case prompt
    case parameters
    case columns

    var keyContext: KeyContext {
        switch self {
        case .prompt: return .prompt
        case .parameters: return .parameters
        case .columns: return .columns
        }
    }
}

/// A one-line message in the status bar, gone after a while.
public struct Notice: Equatable, Sendable {
    public var text: String
    public var isError: Bool
    public var until: Double

    public init(text: String, isError: Bool, until: Double) {
        self.text = text
        self.isError = isError
        self.until = until
    }
}

/// Everything the playground shows and remembers, as a plain value: `update` changes it,
/// `view` draws it.
public struct PlaygroundState: Equatable, Sendable {
    public var width: Int
    public var height: Int
    /// Seconds on the program's clock, as of the latest message.
    public var now: Double = 0
    public var model: ModelStatus
    public var editor = PromptEditor()
    public var panel = ParameterPanel()
    public var focus: Focus = .prompt
    public var run: RunOutput?
    public var nextRunID = 1
    public var showHelp = false
    /// The history panel, when open.
    public var history: HistoryPanel?
    public var helpScroll = 0
    public var columns = ColumnsOptions()
    /// Scroll keys move every column together.
    public var scrollTogether = false
    /// Re-run with the same seeds when a slider settles.
    public var autoRerun = false
    /// When the settled slider's re-run starts.
    public var rerunDue: Double?
    /// A run asked for while the model was loading starts once it is ready.
    public var runWhenReady = false
    public var notice: Notice?
    public var keymap: Keymap
    /// The prompt's length in tokens, counted by the program with the model's tokenizer.
    public var promptTokenCount: Int?
    public var memoryBytes: Int?
    public var themeName: String
    public var themeNames: [String]
    /// Earlier prompts, newest first, for recall in the editor.
    public var promptHistory: [String] = []
    /// Which earlier prompt is shown (nil: the user's own text), and that text.
    public var recall: (index: Int, draft: String)? {
        get { recallState.map { ($0.index, $0.draft) } }
        set { recallState = newValue.map { RecallState(index: $0.index, draft: $0.draft) } }
    }
    private var recallState: RecallState?
    /// Where random run seeds come from: drawn here, a run's seed is known (and shown) from
    /// its start, and an automatic re-run can reuse it.
    public var seeds = SplitMix64(seed: 0x6770_7432)
    public var presetIndex: Int?
    /// The model F8 downloads (nil: downloading is not offered), and the model that was ready
    /// before a download started, to go back to when the download fails.
    public var downloadableModel: String?
    public var modelBeforeDownload: ModelSummary?
    /// Presets the user saved, shown after the built-in ones.
    public var userPresets: [Preset] = []
    /// The name being typed for a preset to save, while that entry is open.
    public var presetNameEntry: String?
    public var quitting = false

    private struct RecallState: Equatable, Sendable {
        var index: Int
        var draft: String
    }

    public init(width: Int, height: Int, model: ModelStatus, keymap: Keymap = .standard,
                themeName: String = "default", themeNames: [String] = ["default"]) {
        self.width = width
        self.height = height
        self.model = model
        self.keymap = keymap
        self.themeName = themeName
        self.themeNames = themeNames
        fitEditor()
    }

    public var layout: Layout { Layout(width: width, height: height) }

    public var isRunning: Bool { run?.isRunning ?? false }

    /// The name of the model loading, loaded, failed or downloading.
    public var modelName: String {
        switch model {
        case .loading(let name), .failed(let name, _, _), .downloading(let name, _, _): return name
        case .ready(let summary): return summary.name
        }
    }

    public var modelSummary: ModelSummary? {
        if case .ready(let summary) = model { return summary }
        return nil
    }
}
