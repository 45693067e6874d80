import Foundation
import GPT2

/// The program loop: reads input, feeds messages to `update`, runs the effects it returns, and
/// draws the state at most ~60 times a second. Runs on the calling thread until the user quits;
/// the engine's events arrive from other threads through the inbox.
public final class PlaygroundProgram {
    public private(set) var state: PlaygroundState
    private let services: PlaygroundServices
    private let inbox = Inbox()
    private var model: LoadedModel?
    private let started = ContinuousClock.now
    /// The editor revision whose tokens were last counted (nil: count again, as after a new
    /// model, whose tokenizer may differ).
    private var countedRevision: Int?
    private var lastMemorySample = -1.0
    private var historyCatalog: HistoryCatalog?
    private var historySearch: HistorySearch?
    /// The terminal of the current `run`.
    private var terminal: TerminalBackend?
    private static let frameSeconds = 1.0 / 60

    public init(state: PlaygroundState, services: PlaygroundServices) {
        var state = state
        state.seeds = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
        self.state = state
        self.services = services
    }

    /// Runs until the user quits.
    public func run(on terminal: TerminalBackend) {
        self.terminal = terminal
        defer { self.terminal = nil }
        let size = terminal.size
        _ = state.update(.input(.resize(width: size.width, height: size.height)))
        applyTheme(state.themeName, announce: false)
        loadModel()
        var lastFrame: Screen?
        var lastDraw = -1.0
        while true {
            // Keys wake the wait at once; the timeout only paces the engine's events, the clock
            // and the memory reading, so it can be longer when nothing runs.
            let busy = state.isRunning || state.rerunDue != nil || (state.notice?.until ?? .infinity) < .infinity
            let input = terminal.readInput(timeoutMilliseconds: lastFrame == nil ? 0 : busy ? 15 : 100)
            var messages = input.map(Message.input)
            let (posted, loaded) = inbox.take()
            if let loaded {
                model = loaded
                countedRevision = nil
            }
            messages += posted
            let now = seconds()
            messages.append(.tick(now: now))
            if now - lastMemorySample >= 1, let bytes = Self.residentBytes() {
                lastMemorySample = now
                messages.append(.memory(bytes: bytes))
            }
            for message in messages {
                let effects = state.update(message)
                if perform(effects) { return }
            }
            countPromptTokens()
            if now - lastDraw >= Self.frameSeconds {
                let screen = PlaygroundView.render(state)
                if screen != lastFrame {
                    terminal.draw(screen)
                    lastFrame = screen
                }
                lastDraw = now
            }
        }
    }

    private func seconds() -> Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// Runs effects; true when the program should end.
    private func perform(_ effects: [Effect]) -> Bool {
        for effect in effects {
            switch effect {
            case .startRun(let id, let request):
                guard let generator = model?.generator else { continue }
                stream(id: id) { await generator.start(request) }
            case .updateParameters(let parameters):
                guard let generator = model?.generator else { continue }
                let inbox = self.inbox
                Task {
                    do { try await generator.update(parameters) } catch {
                        inbox.post(.notice("\(error)", isError: true))
                    }
                }
            case .cancelRun:
                guard let generator = model?.generator else { continue }
                Task { await generator.cancel() }
            case .continueRun(let id, let tokens):
                guard let generator = model?.generator else { continue }
                stream(id: id) { await generator.continueRun(by: tokens) }
            case .copyToClipboard(let text, let what):
                terminal?.copyToClipboard(text)
                _ = state.update(.notice("copied \(what) to the clipboard", isError: false))
            case .saveText(let text, let name):
                save(text, suggestedName: name)
            case .openEditor(let text):
                editExternally(text)
            case .saveHistory(let result):
                guard let summary = state.modelSummary else { continue }
                do { try services.saveHistory(result, summary) } catch {
                    _ = state.update(.notice("history not saved: \(error)", isError: true))
                }
            case .switchTheme(let name):
                applyTheme(name, announce: true)
            case .savePreset(let name, let parameters):
                do {
                    _ = state.update(.presetsSaved(try services.savePreset(name, parameters)))
                    _ = state.update(.notice("saved preset \(name)", isError: false))
                } catch {
                    _ = state.update(.notice("\(error)", isError: true))
                }
            case .downloadModel:
                download()
            case .openHistory, .searchHistory, .restoreHistory, .starHistory, .tagHistory, .trashHistory, .exportHistory:
                performOnHistory(effect)
            case .quit:
                if let generator = model?.generator { Task { await generator.cancel() } }
                return true
            }
        }
        return false
    }

    /// Forwards a run's events to the inbox, texts resolved with the model's tokenizer.
    private func stream(id: Int, _ open: @escaping @Sendable () async -> AsyncStream<GenerationEvent>) {
        guard let tokenizer = model?.tokenizer else { return }
        let inbox = self.inbox
        Task {
            for await event in await open() {
                inbox.post(.engine(runID: id, PlaygroundEvent(event) { tokenizer.decode([$0]) }))
            }
        }
    }

    /// The history panel's effects, on the history folder. The catalog is kept here (it holds
    /// the search text of every run); the state gets the list and the matches.
    private func performOnHistory(_ effect: Effect) {
        let store = services.history
        do throws(HistoryError) {
            switch effect {
            case .openHistory:
                let catalog = try store.catalog()
                historyCatalog = catalog
                historySearch = HistorySearch(catalog: catalog)
                _ = state.update(.historyOpened(catalog.entries))
            case .searchHistory(let query):
                guard let catalog = historyCatalog, var search = historySearch else { return }
                search.update(query: query, in: catalog)
                historySearch = search
                _ = state.update(.historyMatches(query: query, search.matches))
            case let .restoreHistory(id, rerun):
                let request = try store.record(id: id).replayRequest
                let effects = state.update(.historyRestored(id: id, request, rerun: rerun))
                _ = perform(effects)
            case let .starHistory(id, starred):
                try store.setStarred(starred, id: id)
            case let .tagHistory(id, tags):
                try store.setTags(tags, id: id)
            case .trashHistory(let id):
                let moved = try store.moveToTrash(id: id)
                historyCatalog = nil
                _ = state.update(.notice("moved to \(moved.path)", isError: false))
            case .exportHistory(let id):
                let record = try store.record(id: id)
                save(HistoryMarkdown.document(record), suggestedName: "\(id).md")
            default:
                break
            }
        } catch {
            _ = state.update(.notice("history: \(error)", isError: true))
        }
    }

    private func loadModel() {
        let inbox = self.inbox
        let load = services.loadModel
        Task.detached {
            do {
                inbox.post(model: try await load())
            } catch let failure as ModelLoadFailure {
                inbox.post(.modelFailed(message: failure.message, hint: failure.hint))
            } catch {
                inbox.post(.modelFailed(message: "\(error)", hint: nil))
            }
        }
    }

    private func download() {
        guard let downloader = services.downloadModel else { return }
        let inbox = self.inbox
        _ = state.update(.downloadProgress(fraction: nil, detail: "starting…"))
        Task.detached {
            do {
                let loaded = try await downloader { fraction, detail in
                    inbox.post(.downloadProgress(fraction: fraction, detail: detail))
                }
                inbox.post(model: loaded)
            } catch let failure as ModelLoadFailure {
                inbox.post(.downloadFailed(message: failure.message, hint: failure.hint))
            } catch {
                inbox.post(.downloadFailed(message: "\(error)", hint: nil))
            }
        }
    }

    private func countPromptTokens() {
        guard let tokenizer = model?.tokenizer else { return }
        guard state.editor.revision != countedRevision else { return }
        countedRevision = state.editor.revision
        _ = state.update(.promptTokens(tokenizer.encode(state.editor.text).count))
    }

    private func applyTheme(_ name: String, announce: Bool) {
        let (theme, warning) = services.loadTheme(name)
        terminal?.apply(theme: theme)
        if let warning {
            _ = state.update(.notice(warning, isError: true))
        } else if announce {
            _ = state.update(.themeChanged(name: theme.name))
        }
    }

    private func save(_ text: String, suggestedName: String) {
        let url = services.outputFolder.appendingPathComponent(suggestedName)
        do {
            // Never overwrite: a file of that name already there is the user's.
            guard !FileManager.default.fileExists(atPath: url.path) else {
                _ = state.update(.notice("\(url.path) already exists; not overwritten", isError: true))
                return
            }
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
            _ = state.update(.notice("saved \(url.path)", isError: false))
        } catch {
            _ = state.update(.notice("could not save \(url.path): \(error.localizedDescription)", isError: true))
        }
    }

    /// Writes the prompt to a temporary file, runs the editor on it, and reads it back.
    private func editExternally(_ text: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-tui-prompt-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try Data(text.utf8).write(to: file)
        } catch {
            _ = state.update(.notice("could not write the prompt for the editor: \(error.localizedDescription)", isError: true))
            return
        }
        var status: Int32 = -1
        terminal?.suspend {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            // The editor command may carry its own arguments ("code --wait").
            process.arguments = ["-c", services.editorCommand + " \"$1\"", "gpt2-tui", file.path]
            do {
                try process.run()
                process.waitUntilExit()
                status = process.terminationStatus
            } catch {
                status = -1
            }
        }
        guard status == 0 else {
            _ = state.update(.notice("the editor (\(services.editorCommand)) exited with status \(status); prompt unchanged", isError: true))
            return
        }
        guard let data = try? Data(contentsOf: file), let edited = String(data: data, encoding: .utf8) else {
            _ = state.update(.notice("the edited prompt is not UTF-8 text; prompt unchanged", isError: true))
            return
        }
        // Editors add a final newline; the prompt did not have one unless it ended with one.
        let result = edited.hasSuffix("\n") && !text.hasSuffix("\n") ? String(edited.dropLast()) : edited
        _ = state.update(.editorFinished(result))
    }

    /// The process's resident memory, from /proc (nil where that does not exist).
    static func residentBytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
