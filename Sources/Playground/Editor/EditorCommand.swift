/// Everything the prompt editor can be asked to do. The playground's key table binds keys to
/// these (the readline key each usually has is noted); `helpText` is what the help overlay
/// shows beside the key.
public enum EditorCommand: Hashable, Sendable {
    /// A typed character. Typing a word and the spaces after it is one undo step; CR is LF.
    case type(Character)
    /// Text inserted at once (a bracketed paste): one undo step however long; CR LF and CR
    /// become LF, tabs are kept.
    case paste(String)
    /// Enter.
    case newline
    /// ← and Ctrl-B, by one character (grapheme cluster).
    case moveLeft
    /// → and Ctrl-F.
    case moveRight
    /// Alt-B: to the start of the word before the cursor (words are letters and digits).
    case moveWordLeft
    /// Alt-F: to the end of the word after the cursor.
    case moveWordRight
    /// ↑: one visual (wrapped) line up, keeping the column; from the top line, to the start.
    case moveUp
    /// ↓: one visual line down, keeping the column; from the bottom line, to the end.
    case moveDown
    /// Page Up: a screenful of visual lines up, keeping the column.
    case pageUp
    /// Page Down.
    case pageDown
    /// Ctrl-A and Home: to the start of the logical line (as readline and Emacs do, not of
    /// the wrapped screen line).
    case moveToLineStart
    /// Ctrl-E and End: to the end of the logical line.
    case moveToLineEnd
    /// Alt-< and Ctrl-Home.
    case moveToStart
    /// Alt-> and Ctrl-End.
    case moveToEnd
    /// A mouse click at a cell, counted from the editor's top-left cell as last drawn in its
    /// viewport.
    case click(row: Int, column: Int)
    /// Backspace. A run of them is one undo step.
    case deleteBackward
    /// Delete and Ctrl-D. A run of them is one undo step.
    case deleteForward
    /// Ctrl-W: cuts back to the previous white space (readline's unix-word-rubout).
    case killWordBackward
    /// Alt-D: cuts to the end of the next word (readline's kill-word).
    case killWordForward
    /// Ctrl-K: cuts to the end of the line; at the end of a line, cuts the line break.
    case killToLineEnd
    /// Ctrl-U: cuts to the start of the line; at the start of a line, cuts the line break
    /// before it.
    case killToLineStart
    /// Ctrl-Y: inserts the last cut text.
    case yank
    /// Alt-Y right after a yank: replaces the yanked text with the cut before it.
    case yankPop
    /// Ctrl-Z and Ctrl-_.
    case undo
    /// Ctrl-Shift-Z / Alt-_.
    case redo
    /// Replaces the whole prompt (text back from `$EDITOR`, a prompt recalled from history):
    /// one undo step, cursor at the end.
    case setText(String)
    /// Empties the prompt: one undo step.
    case clear

    /// One short line for the help overlay.
    public var helpText: String {
        switch self {
        case .type: return "Insert the typed character"
        case .paste: return "Insert pasted text (one undo step)"
        case .newline: return "Insert a line break"
        case .moveLeft: return "Move left one character"
        case .moveRight: return "Move right one character"
        case .moveWordLeft: return "Move back to the start of a word"
        case .moveWordRight: return "Move forward to the end of a word"
        case .moveUp: return "Move up one screen line"
        case .moveDown: return "Move down one screen line"
        case .pageUp: return "Move up one page"
        case .pageDown: return "Move down one page"
        case .moveToLineStart: return "Move to the start of the line"
        case .moveToLineEnd: return "Move to the end of the line"
        case .moveToStart: return "Move to the start of the prompt"
        case .moveToEnd: return "Move to the end of the prompt"
        case .click: return "Put the cursor where clicked"
        case .deleteBackward: return "Delete the character before the cursor"
        case .deleteForward: return "Delete the character under the cursor"
        case .killWordBackward: return "Cut back to the previous space"
        case .killWordForward: return "Cut to the end of the next word"
        case .killToLineEnd: return "Cut to the end of the line"
        case .killToLineStart: return "Cut to the start of the line"
        case .yank: return "Paste the last cut text"
        case .yankPop: return "After a paste, cycle through older cuts"
        case .undo: return "Undo"
        case .redo: return "Redo"
        case .setText: return "Replace the whole prompt"
        case .clear: return "Clear the prompt"
        }
    }
}
