import Playground

/// The cells of a screen to draw, given the one drawn before: a character is drawn again when it
/// or, for a two-cell character, its right half changed. A right half is drawn with its
/// character, except one left without it (which is drawn as a blank).
enum ScreenDiff {
    struct Change: Equatable {
        var row: Int
        var column: Int
        /// Cells the drawn character takes: 2 for a wide character whose right half follows.
        var cells: Int
        /// A right half without its left half: draw a blank.
        var isOrphan: Bool
    }

    /// The changes from `old` to `new` within `rows` × `columns` (the terminal's size); every
    /// cell there when `old` is nil or of another size.
    static func changes(from old: Screen?, to new: Screen, rows: Int, columns: Int) -> [Change] {
        let previous = old.flatMap { $0.width == new.width && $0.height == new.height ? $0 : nil }
        var changes: [Change] = []
        for row in 0..<max(0, min(rows, new.height)) {
            for column in 0..<max(0, min(columns, new.width)) {
                let cell = new[row, column]
                if cell.isContinuation {
                    guard isOrphan(new, row: row, column: column) else { continue }
                    if let previous, previous[row, column] == cell, isOrphan(previous, row: row, column: column) { continue }
                    changes.append(Change(row: row, column: column, cells: 1, isOrphan: true))
                    continue
                }
                let wide = column + 1 < new.width && new[row, column + 1].isContinuation
                if let previous, previous[row, column] == cell, !wide || previous[row, column + 1] == new[row, column + 1] {
                    continue
                }
                changes.append(Change(row: row, column: column, cells: wide ? 2 : 1, isOrphan: false))
            }
        }
        return changes
    }

    /// A right half whose left neighbour is no character of its own.
    private static func isOrphan(_ screen: Screen, row: Int, column: Int) -> Bool {
        column == 0 || screen[row, column - 1].isContinuation
    }
}
