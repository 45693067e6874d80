extension PlaygroundState {
    mutating func handle(_ mouse: MouseEvent) -> [Effect] {
        if showHelp {
            switch mouse.action {
            case .scrollUp: helpScroll = max(0, helpScroll - 3)
            case .scrollDown: helpScroll += 3
            default: break
            }
            return []
        }
        let layout = self.layout
        if layout.prompt.contains(row: mouse.row, column: mouse.column) {
            focus = .prompt
            let inner = layout.prompt.inset(by: 1)
            if mouse.action == .press {
                editor.perform(.click(row: mouse.row - inner.row, column: mouse.column - inner.column))
            }
            return []
        }
        if layout.panel.contains(row: mouse.row, column: mouse.column) || (mouse.action == .drag && focus == .parameters) {
            focus = .parameters
            return changePanel(.mouse(mouse, panel: layout.panel))
        }
        if layout.columns.contains(row: mouse.row, column: mouse.column), let run {
            let total = run.columns.count
            let visible = Layout.visibleColumnCount(total: total, width: layout.columns.width)
            let first = ColumnsView.firstVisibleColumn(focused: columns.focusedColumn, total: total, width: layout.columns.width)
            let shown = min(visible, total - first)
            let width = max(1, layout.columns.width / max(1, shown))
            let index = min(first + (mouse.column - layout.columns.column) / width, first + shown - 1)
            focus = .columns
            columns.focusedColumn = index
            switch mouse.action {
            case .scrollUp: return performOnColumns(.scrollUp)
            case .scrollDown: return performOnColumns(.scrollDown)
            default: return []
            }
        }
        return []
    }
}
