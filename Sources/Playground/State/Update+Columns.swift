extension PlaygroundState {
    /// The wrapped lines of column `index` and how many rows its text area shows, at the
    /// current size: what scrolling needs to know.
    func columnGeometry(_ index: Int) -> (lines: Int, rows: Int)? {
        guard let run, run.columns.indices.contains(index) else { return nil }
        let area = layout.columns
        let visible = Layout.visibleColumnCount(total: run.columns.count, width: area.width)
        let width = area.width / max(1, min(visible, run.columns.count)) - 2
        let rows = area.height - 1 - 3  // run summary row, borders, stats row
        let lines = ColumnsView.lines(of: run.columns[index], prompt: run.request.input, options: columns, textWidth: max(1, width))
        return (lines.count, max(1, rows))
    }

    mutating func performOnColumns(_ action: Action) -> [Effect] {
        guard let current = run, !current.columns.isEmpty else { return [] }
        let focused = min(columns.focusedColumn, current.columns.count - 1)
        let column = current.columns[focused]
        switch action {
        case .columnLeft:
            columns.focusedColumn = max(0, focused - 1)
            columns.tokenCursor = nil
        case .columnRight:
            columns.focusedColumn = min(current.columns.count - 1, focused + 1)
            columns.tokenCursor = nil
        case .scrollUp: scroll(by: -1)
        case .scrollDown: scroll(by: 1)
        case .pageUp: scroll(by: -(columnGeometry(focused)?.rows ?? 1))
        case .pageDown: scroll(by: columnGeometry(focused)?.rows ?? 1)
        case .scrollTop: scroll(to: 0)
        case .scrollBottom: scroll(to: nil)
        case .toggleScrollTogether:
            scrollTogether.toggle()
            say("scroll columns together: \(scrollTogether ? "on" : "off")", error: false)
        case .copyColumn:
            return [.copyToClipboard(column.text, what: "column \(focused + 1)")]
        case .saveColumn:
            return [.saveText(current.request.input + column.text, suggestedName: "gpt2-tui-run\(current.id)-\(focused + 1).txt")]
        case .promoteColumn:
            editor.perform(.setText(current.request.input + column.text))
            focus = .prompt
            say("column \(focused + 1) is the new prompt", error: false)
        case .tokenLeft, .tokenRight:
            guard columns.tokenInsight, !column.tokens.isEmpty else {
                say("token insight is off (\(keymap.keyNames(.toggleTokenInsight)) turns it on)", error: false)
                return []
            }
            let last = column.tokens.count - 1
            let cursor = columns.tokenCursor ?? last
            columns.tokenCursor = max(0, min(last, cursor + (action == .tokenLeft ? -1 : 1)))
        default:
            break
        }
        return []
    }

    /// Scrolls the focused column (or every column) by `delta` lines.
    private mutating func scroll(by delta: Int) {
        for index in scrolledColumns {
            guard let geometry = columnGeometry(index) else { continue }
            let maxTop = max(0, geometry.lines - geometry.rows)
            let top = run?.columns[index].scrollRow ?? maxTop
            let next = max(0, min(maxTop, top + delta))
            // Back at the end: follow new tokens again.
            run?.columns[index].scrollRow = next >= maxTop ? nil : next
        }
    }

    private mutating func scroll(to row: Int?) {
        for index in scrolledColumns { run?.columns[index].scrollRow = row }
    }

    private var scrolledColumns: [Int] {
        guard let run else { return [] }
        return scrollTogether ? Array(run.columns.indices) : [min(columns.focusedColumn, run.columns.count - 1)]
    }
}
