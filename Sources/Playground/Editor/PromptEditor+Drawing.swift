extension PromptEditor {
    /// Draws the editor into `rect` (and nowhere else): the visual lines from the scroll
    /// position in `StyleSlot.promptText`, or `placeholder` in `.promptPlaceholder` while the
    /// text is empty. When `focused`, it puts the terminal cursor at the editor's cursor.
    public func draw(into screen: inout Screen, rect: Rect, focused: Bool, placeholder: String) {
        screen.fill(rect, style: .promptText)
        guard !rect.isEmpty else { return }
        if isEmpty {
            let placeholderText = EditorText(placeholder.normalizingLineEndings)
            let layout = EditorLayout(classes: placeholderText.classes, width: rect.width)
            drawLines(layout, from: 0, of: placeholderText, into: &screen, rect: rect, style: .promptPlaceholder)
            if focused { screen.cursor = (rect.row, rect.column) }
            return
        }
        let layout = layout(width: rect.width)
        let cursorPoint = layout.point(of: cursor)
        let top = Self.top(from: scrollRow, showing: cursorPoint.row, rows: layout.lines.count, height: rect.height)
        drawLines(layout, from: top, of: storage, into: &screen, rect: rect, style: .promptText)
        if focused {
            let row = rect.row + cursorPoint.row - top
            let column = rect.column + cursorPoint.column
            screen.cursor = rect.contains(row: row, column: column) ? (row, column) : nil
        }
    }

    private func drawLines(_ layout: EditorLayout, from top: Int, of text: EditorText, into screen: inout Screen, rect: Rect, style: StyleSlot) {
        let shown = layout.lines.dropFirst(top).prefix(rect.height)
        for (offset, line) in shown.enumerated() {
            screen.put(String(text.characters[line.range]), row: rect.row + offset, column: rect.column, style: style, clip: rect)
        }
    }
}
