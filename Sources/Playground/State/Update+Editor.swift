extension PlaygroundState {
    /// Tells the editor the size of its box (inside the border) after a resize.
    mutating func fitEditor() {
        let inner = layout.prompt.inset(by: 1)
        editor.resize(width: inner.width, height: inner.height)
    }

    mutating func performEditing(_ action: Action) -> [Effect] {
        let command: EditorCommand
        switch action {
        case .cursorLeft: command = .moveLeft
        case .cursorRight: command = .moveRight
        case .cursorUp:
            if editor.isCursorOnFirstVisualLine, !promptHistory.isEmpty {
                recallPrompt(by: 1)
                return []
            }
            command = .moveUp
        case .cursorDown:
            if recall != nil, editor.isCursorOnLastVisualLine {
                recallPrompt(by: -1)
                return []
            }
            command = .moveDown
        case .wordLeft: command = .moveWordLeft
        case .wordRight: command = .moveWordRight
        case .lineStart: command = .moveToLineStart
        case .lineEnd: command = .moveToLineEnd
        case .documentStart: command = .moveToStart
        case .documentEnd: command = .moveToEnd
        case .deleteBackward: command = .deleteBackward
        case .deleteForward: command = .deleteForward
        case .deleteWordBackward: command = .killWordBackward
        case .deleteWordForward: command = .killWordForward
        case .killToLineEnd: command = .killToLineEnd
        case .killToLineStart: command = .killToLineStart
        case .yank: command = .yank
        case .yankPop: command = .yankPop
        case .promptPageUp: command = .pageUp
        case .promptPageDown: command = .pageDown
        case .undo: command = .undo
        case .redo: command = .redo
        case .newline: command = .newline
        case .openEditor: return [.openEditor(editor.text)]
        case .previousPrompt:
            recallPrompt(by: 1)
            return []
        case .nextPrompt:
            recallPrompt(by: -1)
            return []
        default: return []
        }
        if editor.perform(command) { recall = nil }
        return []
    }

    /// Shows an earlier (`by` > 0) or later prompt from history; past the newest, the user's
    /// own text comes back.
    mutating func recallPrompt(by step: Int) {
        guard !promptHistory.isEmpty else {
            say("no earlier prompts yet", error: false)
            return
        }
        let current = recall?.index ?? -1
        let next = max(-1, min(promptHistory.count - 1, current + step))
        guard next != current else { return }
        let draft = recall?.draft ?? editor.text
        if next == -1 {
            editor.perform(.setText(draft))
            recall = nil
        } else {
            editor.perform(.setText(promptHistory[next]))
            recall = (next, draft)
        }
    }
}
