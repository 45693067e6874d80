extension Rect {
    /// The cells both rectangles hold (empty when they do not meet).
    func intersection(_ other: Rect) -> Rect {
        let top = max(row, other.row), left = max(column, other.column)
        return Rect(row: top, column: left, width: min(right, other.right) - left, height: min(bottom, other.bottom) - top)
    }
}
