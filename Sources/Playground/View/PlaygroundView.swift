/// Draws the whole playground for a state: a pure function from state to screen.
public enum PlaygroundView {
    public static func render(_ state: PlaygroundState) -> Screen {
        var screen = Screen(width: state.width, height: state.height)
        if Layout.isTooSmall(width: state.width, height: state.height) {
            drawTooSmall(state, into: &screen)
            return screen
        }
        let layout = state.layout
        drawPrompt(state, into: &screen, rect: layout.prompt)
        state.panel.draw(into: &screen, rect: layout.panel, focused: state.focus == .parameters)
        if case .ready = state.model {
            var options = state.columns
            options.hasFocus = state.focus == .columns
            ColumnsView.draw(state.run, prompt: state.run?.request.input ?? "", options: options, into: &screen, rect: layout.columns)
        } else {
            drawModelStatus(state.model, into: &screen, rect: layout.columns)
        }
        StatusBar.draw(state, into: &screen, status: layout.status, hints: layout.hints)
        if let history = state.history {
            screen.cursor = nil
            HistoryView.draw(history, keymap: state.keymap, into: &screen)
        }
        if state.showHelp {
            screen.cursor = nil
            HelpOverlay.draw(keymap: state.keymap, scroll: state.helpScroll, into: &screen)
        }
        return screen
    }

    private static func drawPrompt(_ state: PlaygroundState, into screen: inout Screen, rect: Rect) {
        let focused = state.focus == .prompt && !state.showHelp
        var title = "Prompt"
        if let count = state.promptTokenCount, let context = state.modelSummary?.contextSize {
            title += " · \(count)/\(context) tokens"
        }
        let over = (state.promptTokenCount ?? 0) + state.panel.parameters.maxLength > (state.modelSummary?.contextSize ?? Int.max)
        screen.box(rect, style: focused ? .borderFocused : .border, title: title, titleStyle: over ? .tokenCountOver : .title)
        state.editor.draw(into: &screen, rect: rect.inset(by: 1), focused: focused,
                          placeholder: "Type a prompt… (ctrl+r runs it, F1 lists every key)")
    }

    private static func drawModelStatus(_ status: ModelStatus, into screen: inout Screen, rect: Rect) {
        screen.box(rect, style: .border, title: "Model")
        let inner = rect.inset(by: 1)
        var lines: [StyledRun] = []
        switch status {
        case .loading(let name):
            lines = [StyledRun("Loading \(name)… (you can type the prompt meanwhile)", .dim)]
        case let .failed(name, message, hint):
            lines = [StyledRun("\(name) could not be loaded: \(message)", .error)]
            if let hint { lines.append(StyledRun(hint, .warning)) }
        case let .downloading(name, progress, detail):
            let bar = ProgressText.bar(fraction: progress, width: max(10, inner.width - 10))
            lines = [StyledRun("Downloading \(name)", .title), StyledRun(bar, .sliderFill), StyledRun(detail, .dim)]
        case .ready:
            return
        }
        var row = inner.row
        for line in lines {
            for wrapped in StyledText.wrap([line], width: inner.width) where row < inner.bottom {
                StyledText.draw([wrapped], from: 0, into: &screen, rect: Rect(row: row, column: inner.column, width: inner.width, height: 1))
                row += 1
            }
        }
    }

    private static func drawTooSmall(_ state: PlaygroundState, into screen: inout Screen) {
        let lines = [
            "Terminal too small: \(state.width)×\(state.height)",
            "gpt2-tui needs at least \(Layout.minimumWidth)×\(Layout.minimumHeight).",
            "Enlarge the window, or press \(state.keymap.keyNames(.quit)) to quit.",
        ]
        let wrapped = lines.flatMap { StyledText.wrap([StyledRun($0, .warning)], width: state.width) }
        let top = max(0, (state.height - wrapped.count) / 2)
        StyledText.draw(wrapped, from: 0, into: &screen, rect: Rect(row: top, column: 0, width: state.width, height: state.height - top))
    }
}

/// A text progress bar: "████████░░░░ 62%".
enum ProgressText {
    static func bar(fraction: Double?, width: Int) -> String {
        guard let fraction else { return String(repeating: "░", count: max(0, width)) }
        let clamped = min(1, max(0, fraction))
        let filled = Int((clamped * Double(width)).rounded())
        return String(repeating: "█", count: filled) + String(repeating: "░", count: max(0, width - filled)) + " \(Int(clamped * 100))%"
    }
}
