/// One terminal cell: what is drawn in it and in which style. The right half of a two-cell
/// character is a `continuation` cell holding nothing of its own.
public struct Cell: Equatable, Sendable {
    public var character: Character
    public var style: StyleSlot
    public var isContinuation: Bool

    public static let blank = Cell(character: " ", style: .normal, isContinuation: false)

    public init(character: Character, style: StyleSlot, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }
}

/// A rectangle of cells, in screen coordinates.
public struct Rect: Equatable, Sendable {
    public var row: Int
    public var column: Int
    public var width: Int
    public var height: Int

    public init(row: Int, column: Int, width: Int, height: Int) {
        self.row = row
        self.column = column
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var bottom: Int { row + height }
    public var right: Int { column + width }
    public var isEmpty: Bool { width == 0 || height == 0 }

    public func contains(row r: Int, column c: Int) -> Bool {
        (row..<bottom).contains(r) && (column..<right).contains(c)
    }

    /// The rectangle shrunk by `n` cells on every side.
    public func inset(by n: Int) -> Rect {
        Rect(row: row + n, column: column + n, width: width - 2 * n, height: height - 2 * n)
    }
}

/// What the terminal should show: a grid of cells and where the cursor is. Views draw into a
/// `Screen`; the terminal backend copies it to the real terminal, and tests compare it as text.
/// Every write is clipped to the grid (and to an optional clip rectangle), so no view can draw
/// outside its place or split a wide character.
public struct Screen: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal's cursor is shown (row, column), or nil to hide it.
    public var cursor: (row: Int, column: Int)? {
        get { cursorPosition.map { ($0.row, $0.column) } }
        set { cursorPosition = newValue.map { CursorPosition(row: $0.row, column: $0.column) } }
    }
    private var cursorPosition: CursorPosition?

    private struct CursorPosition: Equatable, Sendable {
        var row: Int
        var column: Int
    }

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(row: 0, column: 0, width: width, height: height) }

    public subscript(row: Int, column: Int) -> Cell {
        guard (0..<height).contains(row), (0..<width).contains(column) else { return .blank }
        return cells[row * width + column]
    }

    /// Draws `text` on one row from `column`, clipped to `clip` (default the whole screen);
    /// returns the column after the last cell drawn. Control characters are drawn by their
    /// visible form, zero-width clusters are skipped, and a wide character that would not fit
    /// whole is replaced by spaces.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, row: Int, column: Int, style: StyleSlot, clip: Rect? = nil) -> Int {
        let area = clip.map { $0.intersection(bounds) } ?? bounds
        guard row >= area.row, row < area.bottom else { return column + TextWidth.width(of: text) }
        var x = column
        for character in text {
            for drawn in TextWidth.visibleForm(of: character) {
                let w = TextWidth.width(of: drawn)
                guard w > 0 else { continue }
                if x >= area.column, x + w <= area.right {
                    clearWide(row: row, column: x)
                    cells[row * width + x] = Cell(character: drawn, style: style)
                    if w == 2 {
                        clearWide(row: row, column: x + 1)
                        cells[row * width + x + 1] = Cell(character: " ", style: style, isContinuation: true)
                    }
                } else {
                    // Only part of it is visible: blank the visible part.
                    for c in x..<(x + w) where c >= area.column && c < area.right {
                        clearWide(row: row, column: c)
                        cells[row * width + c] = Cell(character: " ", style: style)
                    }
                }
                x += w
            }
        }
        return x
    }

    /// Fills a rectangle with one character (one cell wide) in one style.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: StyleSlot) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let cell = Cell(character: TextWidth.width(of: character) == 1 ? character : " ", style: style)
        for r in area.row..<area.bottom {
            clearWide(row: r, column: area.column)
            clearWide(row: r, column: area.right - 1)
            for c in area.column..<area.right { cells[r * width + c] = cell }
        }
    }

    /// Changes the style of the cells of a rectangle, keeping what they show.
    public mutating func restyle(_ rect: Rect, style: StyleSlot) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for r in area.row..<area.bottom {
            for c in area.column..<area.right { cells[r * width + c].style = style }
        }
    }

    /// Draws a single-line box around `rect` (its outermost cells), with an optional title.
    public mutating func box(_ rect: Rect, style: StyleSlot, title: String? = nil, titleStyle: StyleSlot = .title) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let horizontal = String(repeating: "─", count: rect.width - 2)
        put("┌" + horizontal + "┐", row: rect.row, column: rect.column, style: style)
        for r in (rect.row + 1)..<(rect.bottom - 1) {
            put("│", row: r, column: rect.column, style: style)
            put("│", row: r, column: rect.right - 1, style: style)
        }
        put("└" + horizontal + "┘", row: rect.bottom - 1, column: rect.column, style: style)
        if let title, rect.width > 4 {
            let text = TextWidth.truncated(" \(title) ", to: rect.width - 4)
            put(text, row: rect.row, column: rect.column + 2, style: titleStyle)
        }
    }

    /// The screen as text, one line per row with trailing spaces removed: what snapshot tests
    /// compare.
    public var text: String {
        var lines: [String] = []
        for r in 0..<height {
            var line = ""
            for c in 0..<width where !cells[r * width + c].isContinuation {
                line.append(cells[r * width + c].character)
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The styles of the screen, one letter per cell (a legend first), for snapshots that
    /// check colours as well as text.
    public var styleMap: String {
        var letters: [StyleSlot: Character] = [:]
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        for (i, slot) in StyleSlot.allCases.enumerated() { letters[slot] = alphabet[i % alphabet.count] }
        let used = Set(cells.map(\.style))
        let legend = StyleSlot.allCases.filter { used.contains($0) }.map { "\(letters[$0] ?? "?")=\($0.rawValue)" }
        var lines = [legend.joined(separator: " ")]
        for r in 0..<height {
            lines.append(String((0..<width).map { letters[cells[r * width + $0].style] ?? "?" }))
        }
        return lines.joined(separator: "\n")
    }

    public static func == (a: Screen, b: Screen) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursorPosition == b.cursorPosition
    }

    /// Overwriting either half of a wide character blanks the other half, so no half is left.
    private mutating func clearWide(row: Int, column: Int) {
        guard (0..<width).contains(column) else { return }
        let i = row * width + column
        if cells[i].isContinuation, column > 0 {
            cells[i - 1] = Cell(character: " ", style: cells[i - 1].style)
        } else if column + 1 < width, cells[i + 1].isContinuation {
            cells[i + 1] = Cell(character: " ", style: cells[i + 1].style)
        }
    }
}
