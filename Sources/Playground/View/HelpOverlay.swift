/// The help overlay: every action with its keys, grouped by where it applies, generated from the
/// key table itself (so rebinding a key changes the help too).
public enum HelpOverlay {
    /// The overlay's lines: group titles and "keys   what it does" rows.
    public static func lines(keymap: Keymap, keyColumnWidth: Int = 22) -> [[StyledRun]] {
        var lines: [[StyledRun]] = []
        for context in KeyContext.allCases {
            if !lines.isEmpty { lines.append([]) }
            lines.append([StyledRun(context.title, .overlayTitle)])
            for action in Action.allCases where action.context == context {
                let keys = TextWidth.padded(keymap.keyNames(action), to: keyColumnWidth)
                lines.append([StyledRun(keys + " ", .overlayKey), StyledRun(action.summary, .overlay)])
            }
        }
        lines.append([])
        lines.append([StyledRun("Keys can be changed in keys.json (see the README). ↑/↓ scroll, Esc closes.", .dim)])
        return lines
    }

    /// The box the overlay takes on a screen of the given size.
    public static func frame(width: Int, height: Int) -> Rect {
        let w = min(width - 4, 84), h = height - 2
        return Rect(row: 1, column: max(0, (width - w) / 2), width: w, height: h)
    }

    /// Rows of text the overlay shows at once.
    public static func visibleRows(height: Int) -> Int {
        max(0, frame(width: 80, height: height).height - 2)
    }

    public static func draw(keymap: Keymap, scroll: Int, into screen: inout Screen) {
        let rect = frame(width: screen.width, height: screen.height)
        guard rect.width >= 10, rect.height >= 3 else { return }
        screen.fill(rect, style: .overlay)
        screen.box(rect, style: .border, title: "Keys", titleStyle: .overlayTitle)
        let inner = Rect(row: rect.row + 1, column: rect.column + 2, width: rect.width - 4, height: rect.height - 2)
        let all = lines(keymap: keymap)
        let top = max(0, min(scroll, all.count - inner.height))
        StyledText.draw(all, from: top, into: &screen, rect: inner)
        if top + inner.height < all.count { screen.put("↓ more", row: rect.bottom - 1, column: rect.right - 9, style: .dim) }
    }
}
