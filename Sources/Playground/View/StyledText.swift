/// A piece of text in one style.
public struct StyledRun: Equatable, Sendable {
    public var text: String
    public var style: StyleSlot

    public init(_ text: String, _ style: StyleSlot) {
        self.text = text
        self.style = style
    }
}

/// Word wrapping for styled text measured in terminal cells: lines break at spaces when they
/// can, long words break anywhere, newlines always break, and a wide character never straddles
/// two lines.
public enum StyledText {
    /// Lines of at most `width` cells.
    public static func wrap(_ runs: [StyledRun], width: Int) -> [[StyledRun]] {
        guard width > 0 else { return [] }
        // Characters with their styles, so breaks can fall inside a run.
        var lines: [[(Character, StyleSlot)]] = [[]]
        var lineWidth = 0
        var lastSpace: Int?  // index in the current line after which a break may fall

        func newLine() {
            lines.append([])
            lineWidth = 0
            lastSpace = nil
        }

        for run in runs {
            for character in run.text {
                if character == "\n" || character == "\r\n" {
                    newLine()
                    continue
                }
                let w = TextWidth.width(of: character)
                if lineWidth + w > width {
                    if character == " " {
                        // A space at the wrap point is dropped, as the break itself.
                        newLine()
                        continue
                    }
                    if let space = lastSpace {
                        let current = lines[lines.count - 1]
                        lines[lines.count - 1] = Array(current[...space])
                        let carried = Array(current[(space + 1)...])
                        newLine()
                        lines[lines.count - 1] = carried
                        lineWidth = carried.reduce(0) { $0 + TextWidth.width(of: $1.0) }
                    } else {
                        newLine()
                    }
                }
                lines[lines.count - 1].append((character, run.style))
                lineWidth += w
                if character == " " { lastSpace = lines[lines.count - 1].count - 1 }
            }
        }
        return lines.map(merge)
    }

    /// Draws wrapped lines from `firstLine` into `rect`.
    public static func draw(_ lines: [[StyledRun]], from firstLine: Int, into screen: inout Screen, rect: Rect) {
        guard firstLine >= 0 else { return }
        for (offset, line) in lines.dropFirst(firstLine).prefix(rect.height).enumerated() {
            var column = rect.column
            for run in line {
                column = screen.put(run.text, row: rect.row + offset, column: column, style: run.style, clip: rect)
            }
        }
    }

    private static func merge(_ characters: [(Character, StyleSlot)]) -> [StyledRun] {
        var runs: [StyledRun] = []
        for (character, style) in characters {
            if let last = runs.last, last.style == style {
                runs[runs.count - 1].text.append(character)
            } else {
                runs.append(StyledRun(String(character), style))
            }
        }
        return runs
    }
}
