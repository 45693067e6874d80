import Foundation
import GPT2

/// How the output columns are shown.
public struct ColumnsOptions: Equatable, Sendable {
    /// The prompt shown dim above each continuation.
    public var showPrompt = true
    /// Tokens coloured by probability; the token under the token cursor shows its alternatives.
    public var tokenInsight = false
    /// The column the keys act on.
    public var focusedColumn = 0
    /// Token insight: which token of the focused column is selected (nil = the last one).
    public var tokenCursor: Int?
    /// Whether the columns part has the focus.
    public var hasFocus = false

    public init() {}
}

/// Draws the run's columns side by side, paging when they do not all fit.
public enum ColumnsView {
    /// The first column of the page that holds the focused column.
    public static func firstVisibleColumn(focused: Int, total: Int, width: Int) -> Int {
        let visible = Layout.visibleColumnCount(total: total, width: width)
        return (max(0, min(focused, total - 1)) / visible) * visible
    }

    public static func draw(_ run: RunOutput?, prompt: String, options: ColumnsOptions, into screen: inout Screen, rect: Rect) {
        guard rect.height >= 3, rect.width >= 4 else { return }
        guard let run else {
            screen.box(rect, style: .border, title: "Output")
            let hint = "Write a prompt, then press ctrl+r (or F5) to generate."
            screen.put(TextWidth.truncated(hint, to: rect.width - 4), row: rect.row + 1, column: rect.column + 2, style: .dim)
            return
        }
        let total = run.columns.count
        let visible = Layout.visibleColumnCount(total: total, width: rect.width)
        let first = firstVisibleColumn(focused: options.focusedColumn, total: total, width: rect.width)
        let shown = Array(run.columns[first..<min(total, first + visible)])
        // The top row tells about the run as a whole.
        var summary = "\(run.request.parameters.mode.rawValue) · seed \(run.seed.map(String.init) ?? "…")"
        if run.droppedTokens > 0 { summary += " · prompt cut: \(run.droppedTokens) oldest tokens dropped" }
        if visible < total { summary += " · columns \(first + 1)–\(first + shown.count) of \(total) (←/→ to page)" }
        screen.put(TextWidth.truncated(summary, to: rect.width), row: rect.row, column: rect.column, style: .dim)

        let area = Rect(row: rect.row + 1, column: rect.column, width: rect.width, height: rect.height - 1)
        let columnWidth = area.width / max(1, shown.count)
        for (i, column) in shown.enumerated() {
            let x = area.column + i * columnWidth
            let width = i == shown.count - 1 ? area.right - x : columnWidth
            let box = Rect(row: area.row, column: x, width: width, height: area.height)
            let isFocused = options.hasFocus && column.sequence == options.focusedColumn
            drawColumn(column, run: run, prompt: prompt, options: options, focused: isFocused, into: &screen, rect: box)
        }
    }

    /// The text of a column as styled runs: the dim prompt, then its tokens.
    public static func runs(of column: OutputColumn, prompt: String, options: ColumnsOptions, selected: Int?) -> [StyledRun] {
        var runs: [StyledRun] = []
        if options.showPrompt, !prompt.isEmpty { runs.append(StyledRun(prompt, .promptEcho)) }
        if let hypothesis = column.hypothesis {
            runs.append(StyledRun(hypothesis, .columnText))
        } else {
            for (i, token) in column.tokens.enumerated() {
                let style: StyleSlot = i == selected ? .selection
                    : options.tokenInsight ? .tokenProbability(token.probability) : .columnText
                runs.append(StyledRun(token.text, style))
            }
        }
        return runs
    }

    /// Wrapped lines of a column's text at the width its box gives.
    public static func lines(of column: OutputColumn, prompt: String, options: ColumnsOptions, textWidth: Int) -> [[StyledRun]] {
        let selected = options.tokenInsight && options.hasFocus && column.sequence == options.focusedColumn
            ? (options.tokenCursor ?? column.tokens.count - 1) : nil
        return StyledText.wrap(runs(of: column, prompt: prompt, options: options, selected: selected), width: textWidth)
    }

    private static func drawColumn(
        _ column: OutputColumn, run: RunOutput, prompt: String, options: ColumnsOptions, focused: Bool,
        into screen: inout Screen, rect: Rect
    ) {
        var title = "#\(column.sequence + 1)"
        if let seed = run.seed, run.request.parameters.mode.isSampling { title += " seed \(seed)" }
        screen.box(rect, style: focused ? .borderFocused : .border, title: title,
                   titleStyle: focused ? .columnHeaderFocused : .columnHeader)
        let inner = rect.inset(by: 1)
        guard inner.height >= 1, inner.width >= 1 else { return }
        screen.put(TextWidth.truncated(statsLine(column, run: run, width: inner.width), to: inner.width), row: inner.row, column: inner.column, style: .columnHeader)
        var body = Rect(row: inner.row + 1, column: inner.column, width: inner.width, height: inner.height - 1)
        // Token insight: the selected token's alternatives on the last row.
        if options.tokenInsight, focused, body.height >= 3, let line = alternativesLine(column, cursor: options.tokenCursor) {
            screen.put(TextWidth.truncated(line, to: body.width), row: body.bottom - 1, column: body.column, style: .overlayKey)
            body.height -= 1
        }
        let lines = lines(of: column, prompt: prompt, options: options, textWidth: body.width)
        let top = column.scrollRow.map { min($0, max(0, lines.count - body.height)) } ?? max(0, lines.count - body.height)
        StyledText.draw(lines, from: top, into: &screen, rect: body)
        if top > 0 { screen.put("↑", row: rect.row, column: rect.right - 2, style: .dim) }
        if top + body.height < lines.count { screen.put("↓", row: rect.bottom - 1, column: rect.right - 2, style: .dim) }
    }

    /// "42 tok · 210 t/s · lp -1.93 · length" (lp: the mean log-probability of its tokens), or
    /// "42t 210/s -1.93 length" when that does not fit in `width` cells.
    static func statsLine(_ column: OutputColumn, run: RunOutput, width: Int = .max) -> String {
        let state: String?
        if let reason = column.finishReason {
            state = reason.label
        } else if case .failed = run.phase {
            state = "failed"
        } else {
            state = run.isRunning ? "…" : nil
        }
        let rate = column.tokensPerSecond.map { String(format: "%.0f", $0) }
        let mean = column.meanLogprob.map { String(format: "%.2f", $0) }
        let full = ["\(column.tokenCount) tok", rate.map { "\($0) t/s" }, mean.map { "lp \($0)" }, state]
        let line = full.compactMap { $0 }.joined(separator: " · ")
        guard TextWidth.width(of: line) > width else { return line }
        let compact = ["\(column.tokenCount)t", rate.map { "\($0)/s" }, mean, state]
        return compact.compactMap { $0 }.joined(separator: " ")
    }

    private static func alternativesLine(_ column: OutputColumn, cursor: Int?) -> String? {
        guard !column.tokens.isEmpty else { return nil }
        let index = min(cursor ?? column.tokens.count - 1, column.tokens.count - 1)
        let token = column.tokens[index]
        let shown = token.alternatives.prefix(4).map { String(format: "%@ %.0f%%", quoted($0.text), $0.probability * 100) }
        return String(format: "%@ %.0f%% │ ", quoted(token.text), token.probability * 100) + shown.joined(separator: "  ")
    }

    private static func quoted(_ text: String) -> String {
        "«" + text.replacingOccurrences(of: "\n", with: "⏎") + "»"
    }
}

extension FinishReason {
    /// How a column header names the reason.
    public var label: String {
        switch self {
        case .length: return "length"
        case .endOfText: return "end of text"
        case .stop: return "stop string"
        case .cancelled: return "stopped"
        }
    }
}
