import Foundation

/// The history panel: a search line, the runs newest first (star, time, model, mode, title or
/// first words, tags), unreadable files with their reason, and the selected run's first output.
enum HistoryView {
    static let timeFormat: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter
    }()

    static func draw(_ panel: HistoryPanel, keymap: Keymap, into screen: inout Screen) {
        let rect = Rect(row: 1, column: 1, width: screen.width - 2, height: screen.height - 3)
        guard rect.width >= 20, rect.height >= 6 else { return }
        screen.fill(rect, style: .overlay)
        let unreadable = panel.entries.filter { $0.summary == nil }.count
        var title = "History · \(panel.entries.count - unreadable) runs"
        if unreadable > 0 { title += " · \(unreadable) unreadable" }
        screen.box(rect, style: .borderFocused, title: title, titleStyle: .overlayTitle)
        let inner = rect.inset(by: 1)
        var search = "Search: " + panel.query
        if panel.query.isEmpty { search += "(type to search prompts and outputs)" }
        screen.put(TextWidth.truncated(search, to: inner.width), row: inner.row, column: inner.column, style: panel.query.isEmpty ? .dim : .searchMatch)

        let listRows = max(0, inner.height - 4)
        let top = max(0, min(panel.selected - listRows / 2, panel.matches.count - listRows))
        for (offset, position) in panel.matches.dropFirst(top).prefix(listRows).enumerated() {
            guard panel.entries.indices.contains(position) else { continue }
            let row = inner.row + 1 + offset
            let selected = top + offset == panel.selected
            let line = self.line(panel.entries[position])
            screen.put(TextWidth.padded(line.text, to: inner.width), row: row, column: inner.column,
                       style: selected ? .selection : line.style)
        }
        if panel.matches.isEmpty {
            let text = panel.entries.isEmpty ? "No runs yet: every run of the playground is saved here." : "No run matches."
            screen.put(text, row: inner.row + 1, column: inner.column, style: .dim)
        }

        let footer = inner.bottom - 3
        screen.put(String(repeating: "─", count: inner.width), row: footer, column: inner.column, style: .border)
        if case .run(let summary)? = panel.selectedEntry {
            screen.put(TextWidth.truncated("→ " + summary.outputPreview, to: inner.width), row: footer + 1, column: inner.column, style: .columnText)
        } else if case .unreadable(let file)? = panel.selectedEntry {
            screen.put(TextWidth.truncated("left untouched on disk: \(file.reason)", to: inner.width), row: footer + 1, column: inner.column, style: .warning)
        }
        let hint: String
        if let tags = panel.tagEntry {
            hint = "Tags (comma separated): \(tags)▏ Enter saves, Esc cancels"
        } else if panel.confirmingDelete != nil {
            hint = "Move this run to the trash? \(keymap.keyNames(.historyDelete)) again to confirm, any other key to keep it"
        } else {
            let keys: [(Action, String)] = [(.historyRestore, "restore"), (.historyRerun, "re-run"), (.historyStar, "star"),
                                            (.historyTag, "tags"), (.historyDelete, "delete"), (.historyExport, "export .md"), (.stop, "close")]
            hint = keys.compactMap { action, label in keymap.keys[action]?.first.map { "\($0) \(label)" } }.joined(separator: "  ")
        }
        screen.put(TextWidth.truncated(hint, to: inner.width), row: footer + 2, column: inner.column,
                   style: panel.confirmingDelete != nil ? .warning : .keyHint)
    }

    static func line(_ entry: HistoryEntry) -> (text: String, style: StyleSlot) {
        switch entry {
        case .run(let summary):
            var text = (summary.starred ? "★ " : "  ") + timeFormat.string(from: summary.createdAt)
            text += "  \(summary.modelName)  \(summary.mode.rawValue)  \(summary.displayTitle)"
            if !summary.tags.isEmpty { text += "  [\(summary.tags.joined(separator: ", "))]" }
            return (text, summary.starred ? .starred : .overlay)
        case .unreadable(let file):
            return ("⚠ \(file.id): unreadable (\(file.reason))", .warning)
        }
    }
}
