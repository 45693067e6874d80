/// A place in the editor as drawn: a visual (wrapped) row and a column in terminal cells.
public struct EditorPoint: Hashable, Sendable {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}

/// The editor's text cut into visual lines for a width in cells.
///
/// Wrapping: a line ends after the last space or tab that fits, so a word moves whole to the
/// next line; a word wider than the line is cut at the width. A wide character is never split
/// and a newline always ends a line. Every cursor position gets its own cell inside the width:
/// a position at a wrap belongs to the start of the next line, and a paragraph whose last line
/// fills the width exactly is followed by an empty line holding its end position. A width of 0
/// or less lays out logical lines unwrapped (for an editor not yet told its size).
public struct EditorLayout: Equatable, Sendable {
    /// One visual line: the characters on it (never a newline) and the cells they take.
    public struct Line: Equatable, Sendable {
        public let range: Range<Int>
        public let width: Int
    }

    public let width: Int
    /// Never empty: an empty text has one empty line.
    public let lines: [Line]
    private let classes: [CharacterClass]

    init(classes: [CharacterClass], width: Int) {
        self.width = width
        self.classes = classes
        lines = Self.wrap(classes, limit: width > 0 ? width : Int.max)
    }

    /// The visual row holding the cursor position `position` (clamped to the text).
    public func row(of position: Int) -> Int {
        let p = min(max(position, 0), classes.count)
        // The last line starting at or before p: a position at a wrap opens the next line.
        var low = 0
        var high = lines.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lines[mid].range.lowerBound <= p { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// Where the cursor at `position` is drawn.
    public func point(of position: Int) -> EditorPoint {
        let p = min(max(position, 0), classes.count)
        let row = row(of: p)
        let column = classes[lines[row].range.lowerBound..<p].reduce(0) { $0 + $1.width }
        return EditorPoint(row: row, column: column)
    }

    /// The cursor position drawn at `point`, or the nearest one: the row is clamped to the
    /// lines, and a column in the middle of a wide character or past the end of the line gives
    /// the position before that character or the line's end.
    public func position(at point: EditorPoint) -> Int {
        let row = min(max(point.row, 0), lines.count - 1)
        let line = lines[row].range
        let wrapsIntoNext = row + 1 < lines.count && lines[row + 1].range.lowerBound == line.upperBound
        let last = wrapsIntoNext ? line.upperBound - 1 : line.upperBound
        var column = 0
        var p = line.lowerBound
        while p < last, column < point.column, column + classes[p].width <= point.column {
            column += classes[p].width
            p += 1
        }
        return p
    }

    private static func wrap(_ classes: [CharacterClass], limit: Int) -> [Line] {
        var lines: [Line] = []
        var start = 0
        while true {
            var used = 0
            var p = start
            var wrapAt: (position: Int, width: Int)?
            // A character goes on the line when it fits and the cursor before it has a cell.
            while p < classes.count, !classes[p].isNewline, used < limit, used + classes[p].width <= limit {
                used += classes[p].width
                p += 1
                if classes[p - 1].isWrapOpportunity { wrapAt = (p, used) }
            }
            if p == classes.count || classes[p].isNewline {
                lines.append(Line(range: start..<p, width: used))
                if used >= limit { lines.append(Line(range: p..<p, width: 0)) }
                guard p < classes.count else { return lines }
                start = p + 1
            } else if p == start {
                // Wider than the whole line: it goes alone and is clipped when drawn.
                lines.append(Line(range: start..<(start + 1), width: classes[start].width))
                start += 1
            } else if let wrapAt {
                lines.append(Line(range: start..<wrapAt.position, width: wrapAt.width))
                start = wrapAt.position
            } else {
                lines.append(Line(range: start..<p, width: used))
                start = p
            }
        }
    }
}
