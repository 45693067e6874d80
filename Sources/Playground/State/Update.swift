import GPT2

extension PlaygroundState {
    /// How long a notice stays in the status bar.
    static let noticeSeconds = 4.0
    /// How long sliders must rest before an automatic re-run starts.
    static let rerunDelay = 0.35

    /// Applies one message; returns what the program should do next. Pure: no I/O here.
    public mutating func update(_ message: Message) -> [Effect] {
        switch message {
        case .input(let event):
            return handle(event)
        case .tick(let time):
            now = time
            if let notice, notice.until <= now { self.notice = nil }
            if let due = rerunDue, due <= now {
                rerunDue = nil
                return rerun(sameSeed: true)
            }
            return []
        case .modelLoaded(let summary):
            model = .ready(summary)
            modelBeforeDownload = nil
            if runWhenReady {
                runWhenReady = false
                return startRun(seed: panel.parameters.seed)
            }
            return []
        case let .modelFailed(text, hint):
            model = .failed(name: modelName, message: text, hint: hint)
            runWhenReady = false
            return []
        case let .downloadProgress(fraction, detail):
            if case .ready(let summary) = model { modelBeforeDownload = summary }
            model = .downloading(name: downloadableModel ?? modelName, progress: fraction, detail: detail)
            return []
        case let .downloadFailed(text, hint):
            // The model that was there before still works: go back to it.
            if let previous = modelBeforeDownload {
                model = .ready(previous)
                modelBeforeDownload = nil
                say([text, hint].compactMap { $0 }.joined(separator: " — "), error: true)
            } else {
                model = .failed(name: downloadableModel ?? modelName, message: text, hint: hint)
            }
            return []
        case let .engine(runID, event):
            guard var current = run, current.id == runID else { return [] }
            current.apply(event, at: now)
            run = current
            if case .finished(let result) = event { return [.saveHistory(result)] }
            if case .failed(let text) = event { say(text, error: true) }
            return []
        case .promptTokens(let count):
            promptTokenCount = count
            return []
        case .editorFinished(let text):
            editor.perform(.setText(text))
            return []
        case .memory(let bytes):
            memoryBytes = bytes
            return []
        case let .notice(text, isError):
            say(text, error: isError)
            return []
        case .themeChanged(let name):
            themeName = name
            say("theme: \(name)", error: false)
            return []
        case .promptHistory(let prompts):
            promptHistory = prompts
            return []
        case .presetsSaved(let presets):
            userPresets = presets
            return []
        case .historyOpened(let entries):
            history = HistoryPanel(entries: entries)
            showHelp = false
            return []
        case let .historyMatches(query, matches):
            guard var panel = history, panel.query == query else { return [] }
            panel.matches = matches
            panel.selected = min(panel.selected, max(0, matches.count - 1))
            history = panel
            return []
        case let .historyRestored(id, request, rerun):
            return restore(id: id, request: request, rerun: rerun)
        }
    }

    mutating func say(_ text: String, error: Bool) {
        notice = Notice(text: text, isError: error, until: now + Self.noticeSeconds)
    }

    private mutating func handle(_ event: InputEvent) -> [Effect] {
        switch event {
        case .key(let key):
            return handle(key)
        case .paste(let text):
            switch focus {
            case .prompt:
                editor.perform(.paste(text))
            case .parameters:
                return changePanel(.type(String(text.filter { !$0.isNewline })))
            case .columns:
                focus = .prompt
                editor.perform(.paste(text))
            }
            return []
        case .mouse(let mouse):
            return handle(mouse)
        case let .resize(width, height):
            self.width = width
            self.height = height
            fitEditor()
            return []
        }
    }

    private mutating func handle(_ key: KeyPress) -> [Effect] {
        if showHelp {
            return helpKey(key)
        }
        if history != nil {
            return historyKey(key)
        }
        if let name = presetNameEntry {
            return presetNameKey(key, name: name)
        }
        // Typing an exact parameter value takes every key until it is committed or cancelled.
        if focus == .parameters, panel.isTyping {
            return typeIntoPanel(key)
        }
        let context = focus.keyContext
        let action = keymap.action(for: key, in: context)
        // Printable characters are text in the prompt unless the prompt binds them itself.
        if focus == .prompt, let character = key.typedCharacter, action?.context != .prompt {
            editor.perform(.type(character))
            recall = nil
            return []
        }
        // A digit (or a sign or point) on a focused field starts typing its exact value.
        if focus == .parameters, action == nil, let character = key.typedCharacter, character.isNumber || character == "." {
            return changePanel(.type(String(character)))
        }
        guard let action else { return [] }
        return perform(action)
    }

    private mutating func helpKey(_ key: KeyPress) -> [Effect] {
        let action = keymap.action(for: key, in: .global)
        let rows = HelpOverlay.visibleRows(height: height)
        switch key.key {
        case .up: helpScroll = max(0, helpScroll - 1)
        case .down: helpScroll += 1
        case .pageUp: helpScroll = max(0, helpScroll - rows)
        case .pageDown: helpScroll += rows
        default:
            if action == .help || action == .stop { showHelp = false }
            if action == .quit { return perform(.quit) }
        }
        let total = HelpOverlay.lines(keymap: keymap).count
        helpScroll = min(helpScroll, max(0, total - rows))
        return []
    }

    /// Does what an action means; the one switch every key goes through.
    mutating func perform(_ action: Action) -> [Effect] {
        switch action.context {
        case .prompt: return performEditing(action)
        case .parameters: return performOnPanel(action)
        case .columns: return performOnColumns(action)
        case .history: return performOnHistory(action)
        case .global: return performGlobal(action)
        }
    }

    private mutating func performGlobal(_ action: Action) -> [Effect] {
        switch action {
        case .run:
            return rerun(sameSeed: false)
        case .stop:
            if isRunning { return [.cancelRun] }
            if focus == .parameters, panel.isTyping { return changePanel(.cancelTyping) }
            return []
        case .continueRun:
            return continueRun()
        case .quit:
            quitting = true
            return isRunning ? [.cancelRun, .quit] : [.quit]
        case .help:
            showHelp = true
            helpScroll = 0
        case .focusNext:
            focus = focus == .prompt ? .parameters : focus == .parameters ? (run == nil ? .prompt : .columns) : .prompt
        case .focusPrevious:
            focus = focus == .prompt ? (run == nil ? .parameters : .columns) : focus == .parameters ? .prompt : .parameters
        case .toggleAutoRerun:
            autoRerun.toggle()
            say("re-run on change: \(autoRerun ? "on" : "off")", error: false)
        case .togglePromptEcho:
            columns.showPrompt.toggle()
        case .toggleTokenInsight:
            columns.tokenInsight.toggle()
            columns.tokenCursor = nil
        case .nextTheme:
            guard !themeNames.isEmpty else { return [] }
            let index = themeNames.firstIndex(of: themeName).map { ($0 + 1) % themeNames.count } ?? 0
            return [.switchTheme(themeNames[index])]
        case .openHistory:
            return [.openHistory]
        case .copyRequest:
            return [.copyToClipboard(RequestExport.json(prompt: editor.text, parameters: panel.parameters), what: "request JSON")]
        case .copyCurl:
            return [.copyToClipboard(RequestExport.curlCommand(prompt: editor.text, parameters: panel.parameters), what: "curl command")]
        case .nextPreset:
            return applyNextPreset()
        case .savePreset:
            presetNameEntry = panel.presetName.flatMap { Preset.isBuiltInName($0) ? nil : $0 } ?? ""
            return []
        case .downloadModel:
            guard let name = downloadableModel else {
                say("downloading is not offered here", error: true)
                return []
            }
            if modelSummary?.name == name {
                say("\(name) is already the model in use", error: false)
                return []
            }
            if case .downloading = model { return [] }
            return [.downloadModel]
        default:
            break
        }
        return []
    }
}
