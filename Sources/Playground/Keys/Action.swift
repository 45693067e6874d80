/// Where a key binding applies: everywhere, or only while a part of the screen has the focus.
public enum KeyContext: String, CaseIterable, Sendable, Codable {
    case global
    case prompt
    case parameters
    case columns
    case history

    public var title: String {
        switch self {
        case .global: return "Everywhere"
        case .prompt: return "Prompt editor"
        case .parameters: return "Parameters"
        case .columns: return "Output columns"
        case .history: return "History"
        }
    }
}

/// Everything a key can do. The raw value is the name used in `keys.json`; the help overlay
/// lists every action with its keys, from the same table that binds them.
public enum Action: String, CaseIterable, Sendable, Codable {
    // Everywhere
    case run, stop, continueRun = "continue", quit, help, focusNext = "focus-next", focusPrevious = "focus-previous"
    case toggleAutoRerun = "toggle-auto-rerun", togglePromptEcho = "toggle-prompt-echo"
    case toggleTokenInsight = "toggle-token-insight", nextTheme = "next-theme"
    case openHistory = "history", copyRequest = "copy-request", copyCurl = "copy-curl"
    case nextPreset = "next-preset", savePreset = "save-preset", downloadModel = "download-model"
    // Prompt editor
    case cursorLeft = "cursor-left", cursorRight = "cursor-right", cursorUp = "cursor-up", cursorDown = "cursor-down"
    case wordLeft = "word-left", wordRight = "word-right", lineStart = "line-start", lineEnd = "line-end"
    case documentStart = "document-start", documentEnd = "document-end"
    case deleteBackward = "delete-backward", deleteForward = "delete-forward"
    case deleteWordBackward = "delete-word-backward", deleteWordForward = "delete-word-forward"
    case killToLineEnd = "kill-to-line-end", killToLineStart = "kill-to-line-start", yank, yankPop = "yank-pop"
    case promptPageUp = "prompt-page-up", promptPageDown = "prompt-page-down"
    case undo, redo, newline, openEditor = "open-editor"
    case previousPrompt = "previous-prompt", nextPrompt = "next-prompt"
    // Parameters
    case fieldPrevious = "field-previous", fieldNext = "field-next"
    case increase, decrease, increaseCoarse = "increase-coarse", decreaseCoarse = "decrease-coarse"
    case typeValue = "type-value", resetField = "reset-field", resetAll = "reset-all", nextMode = "next-mode"
    // Output columns
    case columnLeft = "column-left", columnRight = "column-right"
    case scrollUp = "scroll-up", scrollDown = "scroll-down", pageUp = "page-up", pageDown = "page-down"
    case scrollTop = "scroll-top", scrollBottom = "scroll-bottom", toggleScrollTogether = "toggle-scroll-together"
    case copyColumn = "copy-column", saveColumn = "save-column", promoteColumn = "promote-column"
    case tokenLeft = "token-left", tokenRight = "token-right"
    // History panel
    case historyUp = "history-up", historyDown = "history-down", historyRestore = "history-restore"
    case historyRerun = "history-rerun", historyStar = "history-star", historyTag = "history-tag"
    case historyDelete = "history-delete", historyExport = "history-export", historySearch = "history-search"

    public var context: KeyContext {
        switch self {
        case .run, .stop, .continueRun, .quit, .help, .focusNext, .focusPrevious, .toggleAutoRerun,
             .togglePromptEcho, .toggleTokenInsight, .nextTheme, .openHistory, .copyRequest, .copyCurl,
             .nextPreset, .savePreset, .downloadModel:
            return .global
        case .cursorLeft, .cursorRight, .cursorUp, .cursorDown, .wordLeft, .wordRight, .lineStart, .lineEnd,
             .documentStart, .documentEnd, .deleteBackward, .deleteForward, .deleteWordBackward,
             .deleteWordForward, .killToLineEnd, .killToLineStart, .yank, .yankPop, .promptPageUp, .promptPageDown,
             .undo, .redo, .newline,
             .openEditor, .previousPrompt, .nextPrompt:
            return .prompt
        case .fieldPrevious, .fieldNext, .increase, .decrease, .increaseCoarse, .decreaseCoarse, .typeValue,
             .resetField, .resetAll, .nextMode:
            return .parameters
        case .columnLeft, .columnRight, .scrollUp, .scrollDown, .pageUp, .pageDown, .scrollTop, .scrollBottom,
             .toggleScrollTogether, .copyColumn, .saveColumn, .promoteColumn, .tokenLeft, .tokenRight:
            return .columns
        case .historyUp, .historyDown, .historyRestore, .historyRerun, .historyStar, .historyTag,
             .historyDelete, .historyExport, .historySearch:
            return .history
        }
    }

    /// What the help overlay says it does.
    public var summary: String {
        switch self {
        case .run: return "run the prompt (re-run when a run exists)"
        case .stop: return "stop the run / close the panel"
        case .continueRun: return "continue the finished run for more tokens"
        case .quit: return "quit"
        case .help: return "this help"
        case .focusNext: return "focus: prompt → parameters → columns"
        case .focusPrevious: return "focus the previous part"
        case .toggleAutoRerun: return "re-run on slider change (same seeds) on/off"
        case .togglePromptEcho: return "show the prompt above each column on/off"
        case .toggleTokenInsight: return "colour tokens by probability, show alternatives"
        case .nextTheme: return "next colour theme"
        case .openHistory: return "history of runs"
        case .copyRequest: return "copy prompt + settings as request JSON"
        case .copyCurl: return "copy prompt + settings as a curl command"
        case .nextPreset: return "apply the next preset"
        case .savePreset: return "save the settings as a named preset"
        case .downloadModel: return "download the default model (gpt2)"
        case .cursorLeft: return "cursor left"
        case .cursorRight: return "cursor right"
        case .cursorUp: return "cursor up a line (on the first line: earlier prompt)"
        case .cursorDown: return "cursor down a line"
        case .wordLeft: return "back a word"
        case .wordRight: return "forward a word"
        case .lineStart: return "start of line"
        case .lineEnd: return "end of line"
        case .documentStart: return "start of prompt"
        case .documentEnd: return "end of prompt"
        case .deleteBackward: return "delete the character before the cursor"
        case .deleteForward: return "delete the character under the cursor"
        case .deleteWordBackward: return "cut the word before the cursor"
        case .deleteWordForward: return "cut the word after the cursor"
        case .killToLineEnd: return "cut to end of line"
        case .killToLineStart: return "cut to start of line"
        case .yank: return "paste the last cut text"
        case .yankPop: return "right after a paste: the cut before it instead"
        case .promptPageUp: return "up a page"
        case .promptPageDown: return "down a page"
        case .undo: return "undo"
        case .redo: return "redo"
        case .newline: return "new line"
        case .openEditor: return "edit the prompt in $EDITOR"
        case .previousPrompt: return "earlier prompt from history"
        case .nextPrompt: return "later prompt from history"
        case .fieldPrevious: return "previous parameter"
        case .fieldNext: return "next parameter"
        case .increase: return "increase (fine step)"
        case .decrease: return "decrease (fine step)"
        case .increaseCoarse: return "increase (coarse step)"
        case .decreaseCoarse: return "decrease (coarse step)"
        case .typeValue: return "type an exact value"
        case .resetField: return "reset to default"
        case .resetAll: return "reset every parameter"
        case .nextMode: return "next decoding mode"
        case .columnLeft: return "previous column"
        case .columnRight: return "next column"
        case .scrollUp: return "scroll up"
        case .scrollDown: return "scroll down"
        case .pageUp: return "scroll up a page"
        case .pageDown: return "scroll down a page"
        case .scrollTop: return "scroll to the top"
        case .scrollBottom: return "follow the end"
        case .toggleScrollTogether: return "scroll all columns together on/off"
        case .copyColumn: return "copy the column (OSC 52 clipboard)"
        case .saveColumn: return "save the column to a file"
        case .promoteColumn: return "make prompt + column the new prompt"
        case .tokenLeft: return "token insight: previous token"
        case .tokenRight: return "token insight: next token"
        case .historyUp: return "newer run"
        case .historyDown: return "older run"
        case .historyRestore: return "restore prompt and settings"
        case .historyRerun: return "restore and run again"
        case .historyStar: return "star / unstar"
        case .historyTag: return "edit title and tags"
        case .historyDelete: return "delete (to trash, asks first)"
        case .historyExport: return "export as Markdown"
        case .historySearch: return "search prompts and outputs"
        }
    }
}
