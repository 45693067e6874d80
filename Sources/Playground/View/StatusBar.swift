import Foundation

/// The status bar (model, state, speed, memory, notices) and the key hints under it.
enum StatusBar {
    static func draw(_ state: PlaygroundState, into screen: inout Screen, status: Rect, hints: Rect) {
        screen.fill(status, style: .statusBar)
        var column = status.column
        for (text, style) in segments(state) {
            column = screen.put(" " + text + " ", row: status.row, column: column, style: style, clip: status)
            column = screen.put("│", row: status.row, column: column, style: .statusBar, clip: status)
        }
        if let notice = state.notice {
            let text = TextWidth.truncated(notice.text, to: max(0, status.right - column - 2))
            let start = max(column + 1, status.right - TextWidth.width(of: text) - 1)
            screen.put(text, row: status.row, column: start, style: notice.isError ? .error : .warning, clip: status)
        }
        drawHints(state, into: &screen, rect: hints)
    }

    /// "shakespeare · int8 (Q8_0) · 2 threads", "generating 37/100", "215 tok/s", "142 MB".
    static func segments(_ state: PlaygroundState) -> [(String, StyleSlot)] {
        var parts: [(String, StyleSlot)] = []
        switch state.model {
        case .loading(let name):
            parts.append(("\(name) · loading…", .statusAccent))
        case .ready(let summary):
            parts.append(("\(summary.name) · \(summary.precision) · \(summary.threads) thread\(summary.threads == 1 ? "" : "s")", .statusAccent))
        case .failed(let name, _, _):
            parts.append(("\(name) · not loaded", .error))
        case let .downloading(name, progress, _):
            parts.append(("\(name) · downloading \(progress.map { String(format: "%.0f%%", $0 * 100) } ?? "…")", .statusAccent))
        }
        parts.append((runState(state), .statusBar))
        if let run = state.run, let rate = run.tokensPerSecond(now: state.now) {
            parts.append((String(format: "%.0f tok/s", rate), .statusBar))
        }
        if let bytes = state.memoryBytes {
            parts.append((String(format: "%.0f MB", Double(bytes) / 1_048_576), .statusBar))
        }
        if state.autoRerun { parts.append(("auto re-run", .statusAccent)) }
        return parts
    }

    static func runState(_ state: PlaygroundState) -> String {
        if state.runWhenReady { return "waiting for the model" }
        guard let run = state.run else { return "idle" }
        switch run.phase {
        case .starting: return "starting"
        case .prefill: return "prefill \(run.promptTokens) tokens"
        case .generating: return "generating \(run.step)/\(run.request.parameters.maxLength)"
        case .finished: return "idle · \(run.generatedTokens) tokens"
        case .failed: return "failed"
        }
    }

    private static func drawHints(_ state: PlaygroundState, into screen: inout Screen, rect: Rect) {
        if let name = state.presetNameEntry {
            let column = screen.put("Save preset as: ", row: rect.row, column: rect.column, style: .keyHintKey, clip: rect)
            let end = screen.put(name, row: rect.row, column: column, style: .promptText, clip: rect)
            screen.put("  (Enter saves, Esc cancels)", row: rect.row, column: end + 1, style: .keyHint, clip: rect)
            screen.cursor = (rect.row, min(end, rect.right - 1))
            return
        }
        let keymap = state.keymap
        var hints: [(Action, String)] = [(.run, state.run == nil ? "run" : "re-run")]
        if state.isRunning { hints.append((.stop, "stop")) } else if state.run != nil { hints.append((.continueRun, "continue")) }
        hints += [(.focusNext, "focus"), (.help, "help"), (.toggleAutoRerun, "auto re-run"), (.quit, "quit")]
        var column = rect.column
        for (action, label) in hints {
            guard let key = keymap.keys[action]?.first?.description else { continue }
            column = screen.put(key, row: rect.row, column: column, style: .keyHintKey, clip: rect)
            column = screen.put(" \(label)  ", row: rect.row, column: column, style: .keyHint, clip: rect)
        }
    }
}
