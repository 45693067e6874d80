import Foundation

/// The escape sequences the backend writes itself, beside what curses writes from terminfo.
enum TerminalSequences {
    /// Mouse reports: clicks (1000), drags with a button down (1002, where the terminal has it),
    /// and the SGR encoding (1006) without the X10 limit of 223 columns.
    static let mouseOn = "\u{1B}[?1000h\u{1B}[?1002h\u{1B}[?1006h"
    static let mouseOff = "\u{1B}[?1006l\u{1B}[?1002l\u{1B}[?1000l"
    static let bracketedPasteOn = "\u{1B}[?2004h"
    static let bracketedPasteOff = "\u{1B}[?2004l"

    /// Everything a crash must undo, written by the signal handlers where curses cannot run:
    /// mouse and bracketed paste off, attributes reset, the cursor keys' normal mode, the main
    /// screen back, the cursor shown.
    static let reset = mouseOff + bracketedPasteOff + "\u{1B}[0m\u{1B}[?1l\u{1B}>\u{1B}[?1049l\u{1B}[?25h"

    /// OSC 52, which asks the terminal to put `text` on the system clipboard. Inside tmux the
    /// plain sequence reaches tmux's own buffer (with `set-clipboard on`), and a copy wrapped
    /// for tmux's passthrough reaches the outer terminal (with `allow-passthrough on`).
    static func clipboard(_ text: String, insideTmux: Bool) -> String {
        let plain = "\u{1B}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}"
        guard insideTmux else { return plain }
        let escaped = plain.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}")
        return plain + "\u{1B}Ptmux;\(escaped)\u{1B}\\"
    }
}
