import ArgumentParser
import Foundation
import GPT2
import GPT2Engine
import Playground
import PlaygroundTerminal

/// `gpt2-tui` with no subcommand: the interactive playground.
struct PlaygroundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playground",
        abstract: "Open the interactive playground (the default command).",
        discussion: """
            Without --model, the playground opens gpt2 when it has been downloaded (or is in the \
            Hugging Face cache), and otherwise the bundled demo model; F8 then downloads gpt2. \
            Keys: F1 in the playground lists them all; they can be changed in \
            $XDG_CONFIG_HOME/gpt2-tui/keys.json.
            """
    )

    @Option(name: .long, help: ArgumentHelp(
        "A Hugging Face model folder, a GPT-2 .gguf file, or the name of a known model (default: gpt2 if present, else the demo model).",
        valueName: "dir|file.gguf|name"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp(
        "The folder of downloaded models (default: $GPT2_TUI_MODELS, else ./weights).", valueName: "dir"))
    var modelsDir: String?

    @OptionGroup var engine: EngineOptions

    @Option(help: ArgumentHelp("Colour theme: default, light, high-contrast, mono, or one of your own.", valueName: "name"))
    var theme: String = "default"

    @Option(help: ArgumentHelp("The folder of saved runs (default: $GPT2_TUI_HISTORY, else $XDG_DATA_HOME/gpt2-tui/history).", valueName: "dir"))
    var historyDir: String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let configFolder = ThemeCatalog.configFolder(environment: environment)
        let keymap: Keymap
        do {
            keymap = try configFolder.map { try Keymap.load(from: $0.appendingPathComponent("keys.json")) } ?? .standard
        } catch {
            throw CommandLineFailure.runtime("\(error)")
        }
        let themes = ThemeCatalog(environment: environment)
        let choice = try ModelChoice(requested: model, modelsDir: modelsDir)
        let history = HistoryStore(folder: historyDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? HistoryLocation.historyFolder(environment: environment))
        let digests = WeightsDigestCache(folder: HistoryLocation.cacheFolder(environment: environment))
        let presets = PresetStore.defaultDirectory(environment: environment).map(PresetStore.init(directory:))

        var state = PlaygroundState(
            width: 80, height: 24, model: .loading(name: choice.displayName), keymap: keymap,
            themeName: theme, themeNames: themes.names)
        state.downloadableModel = ModelChoice.defaultModel
        state.promptHistory = Self.recentPrompts(history)
        let presetCatalog = presets?.catalog()
        state.userPresets = presetCatalog?.saved ?? []
        if let problem = presetCatalog?.problem {
            _ = state.update(.notice("\(problem)", isError: true))
        }
        if let fallback = choice.fallbackNotice {
            // Stays until another message takes its place: the user should know which model runs.
            state.notice = Notice(text: fallback, isError: false, until: .infinity)
        }
        let precision = engine.precision
        let services = PlaygroundServices(
            loadModel: { [engine] in try await choice.load(engine: engine) },
            loadTheme: { name in
                let (theme, problem) = themes.themeOrDefault(named: name)
                return (theme, problem.map { "\($0); using the default theme" })
            },
            saveHistory: { result, summary in
                let recording = HistoryRecording(store: history, digests: digests)
                let arguments = ["--model", summary.source] + (modelsDir.map { ["--models-dir", $0] } ?? [])
                let identity = try recording.model(try ModelOptions.parse(arguments), precision: precision)
                _ = try history.save(HistoryRecord(result: result, model: identity))
            },
            history: history,
            savePreset: { name, parameters in
                guard let presets else {
                    throw PresetError.unwritable(file: PresetStore.fileName, reason: "neither XDG_CONFIG_HOME nor HOME says where the configuration goes")
                }
                return try presets.save(name: name, parameters: parameters)
            },
            downloadModel: PlaygroundDownload(modelsDir: modelsDir, engine: engine).run,
            editorCommand: environment["VISUAL"] ?? environment["EDITOR"] ?? "vi",
            outputFolder: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let terminal: Terminal
        do {
            terminal = try Terminal(Terminal.Options(theme: themes.themeOrDefault(named: theme).theme, environment: environment))
        } catch {
            throw CommandLineFailure.runtime("\(error)")
        }
        defer { terminal.restore() }
        let program = PlaygroundProgram(state: state, services: services)
        program.run(on: terminal)
    }

    /// The prompts of the latest saved runs, newest first, for recall in the editor.
    private static func recentPrompts(_ history: HistoryStore) -> [String] {
        guard let catalog = try? history.catalog() else { return [] }
        var seen = Set<String>()
        var prompts: [String] = []
        for summary in catalog.runs.prefix(200) {
            guard let record = try? history.record(id: summary.id), seen.insert(record.prompt).inserted else { continue }
            prompts.append(record.prompt)
            if prompts.count == 50 { break }
        }
        return prompts
    }
}
