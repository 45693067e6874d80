import GPT2

/// What a cell of the drawn panel stands for: a field, one mode of the mode selector, or a
/// cell of a slider's track with the value it stands for.
public enum PanelHit: Equatable, Sendable {
    case field(ParameterField)
    case mode(DecodingMode)
    case slider(ParameterField, value: Double)

    public var field: ParameterField {
        switch self {
        case .field(let field), .slider(let field, _): return field
        case .mode: return .mode
        }
    }
}

extension ParameterPanel {
    /// Which field (mode, slider value) the screen cell at `row`, `column` shows when the panel
    /// is drawn in `rect`; nil for borders, gaps and cells outside.
    public func hit(row: Int, column: Int, panel rect: Rect) -> PanelHit? {
        ParameterPanelLayout(panel: self, rect: rect).hit(row: row, column: column)
    }

    /// The height at which a panel `width` cells wide shows every field: two lines a field in a
    /// side panel, one line in the grid a wide panel uses. For sizing the panel below the
    /// prompt.
    public static func preferredHeight(forWidth width: Int) -> Int {
        let unbounded = ParameterPanelLayout(panel: ParameterPanel(), rect: Rect(row: 0, column: 0, width: width, height: 1000))
        return unbounded.usedHeight + (unbounded.bordered ? 2 : 0)
    }
}

/// Where each field of the panel goes in a rectangle, shared by drawing and hit-testing so a
/// click lands where the eye sees the field.
///
/// Inside a border (when the rectangle has room for one) the mode selector comes first, its
/// modes flowing over as many lines as they need, then the other fields in a grid of as many
/// columns as fit 24 cells each (two apart). A single column (a side panel) gives each field
/// two lines, the label and value above its slider, when the height allows; otherwise, and in
/// a grid (a wide panel below the prompt), each field has one line: short label, slider,
/// value. When the fields do not all fit, the window of lines scrolls to keep the focused
/// field in sight.
struct ParameterPanelLayout {
    struct Placement {
        var field: ParameterField
        /// Every cell the field owns: a click anywhere in it focuses the field.
        var area: Rect
        var label: Rect
        /// Where the value is written; a slider's value is right-aligned in it.
        var value: Rect
        var track: Rect?
        /// Where the text of an exact value being typed goes.
        var entry: Rect
        var modeItems: [(mode: DecodingMode, rect: Rect)] = []
    }

    static let minimumCellWidth = 24
    /// Blank cells between two columns of the grid.
    static let columnGap = 2
    /// Cells for a slider's value on one line ("0.7500" at most).
    static let oneLineValueWidth = 6
    /// Cells for the short labels on one line, a space included.
    static let labelWidth = (ParameterField.allCases.map { TextWidth.width(of: $0.shortLabel) }.max() ?? 0) + 1
    static let gridFields = ParameterField.allCases.filter { $0 != .mode }

    let bordered: Bool
    let content: Rect
    let twoLines: Bool
    private(set) var placements: [Placement] = []
    private(set) var hiddenAbove = false
    private(set) var hiddenBelow = false
    /// Rows used by the fields shown.
    private(set) var usedHeight = 0

    init(panel: ParameterPanel, rect: Rect) {
        bordered = rect.width >= 12 && rect.height >= 3
        content = bordered ? rect.inset(by: 1) : rect
        let columns = max(1, (content.width + Self.columnGap) / (Self.minimumCellWidth + Self.columnGap))
        let cellWidth = (content.width - (columns - 1) * Self.columnGap) / columns
        let fullHeight = 1 + Self.modeFlow(width: content.width).rows + 2 * Self.gridFields.count
        twoLines = columns == 1 && fullHeight <= content.height
        guard !content.isEmpty else { return }

        // Groups of fields that share lines: the mode selector, then each row of the grid.
        let modeHeight = twoLines ? fullHeight - 2 * Self.gridFields.count
            : Self.modeFlow(width: content.width - Self.labelWidth).rows
        var groups: [(fields: [ParameterField], height: Int)] = [([.mode], modeHeight)]
        var rest = Self.gridFields[...]
        while !rest.isEmpty {
            groups.append((Array(rest.prefix(columns)), twoLines ? 2 : 1))
            rest = rest.dropFirst(columns)
        }
        let shown = Self.window(heights: groups.map(\.height), keeping: groups.firstIndex { $0.fields.contains(panel.focus) } ?? 0,
                                within: content.height)
        hiddenAbove = shown.lowerBound > 0
        hiddenBelow = shown.upperBound < groups.count

        var row = content.row
        for group in groups[shown] {
            for (index, field) in group.fields.enumerated() {
                if field == .mode {
                    placements.append(modePlacement(row: row, height: group.height))
                } else {
                    let column = content.column + index * (cellWidth + Self.columnGap)
                    placements.append(placement(of: field, row: row, column: column, width: cellWidth, panel: panel))
                }
            }
            row += group.height
        }
        usedHeight = min(row - content.row, content.height)
    }

    /// Where a message goes: the rows under the fields when some are free (at most three),
    /// else the bottom border.
    var messageArea: Rect? {
        let free = content.height - usedHeight
        if free > 0 {
            let rows = min(free, 3)
            return Rect(row: content.bottom - rows, column: content.column, width: content.width, height: rows)
        }
        guard bordered else { return nil }
        return Rect(row: content.bottom, column: content.column + 1, width: content.width - 2, height: 1)
    }

    func hit(row: Int, column: Int) -> PanelHit? {
        guard content.contains(row: row, column: column) else { return nil }
        for placement in placements where placement.area.contains(row: row, column: column) {
            if let item = placement.modeItems.first(where: { $0.rect.contains(row: row, column: column) }) {
                return .mode(item.mode)
            }
            if let track = placement.track, track.contains(row: row, column: column), let scale = placement.field.scale {
                return .slider(placement.field, value: scale.value(atPosition: column - track.column, trackWidth: track.width))
            }
            return .field(placement.field)
        }
        return nil
    }

    /// The value of `field`'s slider at `column` (held to the track's ends), for a drag that
    /// wanders off the track; nil when the slider is not shown.
    func sliderValue(of field: ParameterField, atColumn column: Int) -> Double? {
        guard let track = placements.first(where: { $0.field == field })?.track, let scale = field.scale else { return nil }
        return scale.value(atPosition: column - track.column, trackWidth: track.width)
    }

    // MARK: - Placing

    private func modePlacement(row: Int, height: Int) -> Placement {
        let full = Rect(row: row, column: content.column, width: content.width, height: height)
        let flowOrigin = twoLines ? (row: row + 1, column: content.column) : (row: row, column: content.column + Self.labelWidth)
        let flowWidth = content.right - flowOrigin.column
        let label = Rect(row: row, column: content.column, width: twoLines ? content.width : Self.labelWidth, height: 1)
        let entry = Rect(row: flowOrigin.row, column: flowOrigin.column, width: flowWidth, height: 1)
        var placement = Placement(field: .mode, area: full, label: label, value: entry, track: nil, entry: entry)
        placement.modeItems = Self.modeFlow(width: flowWidth).items.map { item in
            (item.mode, Rect(row: flowOrigin.row + item.row, column: flowOrigin.column + item.column, width: item.width, height: 1))
        }
        return placement
    }

    private func placement(of field: ParameterField, row: Int, column: Int, width: Int, panel: ParameterPanel) -> Placement {
        if twoLines {
            let top = Rect(row: row, column: column, width: width, height: 1)
            let body = Rect(row: row + 1, column: column, width: width, height: 1)
            let area = Rect(row: row, column: column, width: width, height: 2)
            guard field.scale != nil else {
                return Placement(field: field, area: area, label: top, value: body, track: nil, entry: body)
            }
            let valueWidth = min(width, TextWidth.width(of: field.displayValue(of: panel.parameters)))
            let value = Rect(row: row, column: top.right - valueWidth, width: valueWidth, height: 1)
            let label = Rect(row: row, column: column, width: max(0, width - valueWidth - 1), height: 1)
            return Placement(field: field, area: area, label: label, value: value, track: body, entry: body)
        }
        let label = Rect(row: row, column: column, width: min(width, Self.labelWidth), height: 1)
        let body = Rect(row: row, column: label.right, width: width - label.width, height: 1)
        let area = Rect(row: row, column: column, width: width, height: 1)
        let valueWidth = Self.oneLineValueWidth
        guard field.scale != nil, body.width >= valueWidth + 1 + 3 else {
            return Placement(field: field, area: area, label: label, value: body, track: nil, entry: body)
        }
        let value = Rect(row: row, column: body.right - valueWidth, width: valueWidth, height: 1)
        let track = Rect(row: row, column: body.column, width: body.width - valueWidth - 1, height: 1)
        return Placement(field: field, area: area, label: label, value: value, track: track, entry: body)
    }

    /// The mode names laid out as words in lines `width` cells wide (a name too long for a
    /// line is cut to it).
    static func modeFlow(width: Int) -> (items: [(mode: DecodingMode, row: Int, column: Int, width: Int)], rows: Int) {
        var items: [(mode: DecodingMode, row: Int, column: Int, width: Int)] = []
        var row = 0, column = 0
        for mode in DecodingMode.allCases {
            let w = max(0, min(TextWidth.width(of: mode.rawValue), width))
            if column > 0, column + 1 + w > width {
                row += 1
                column = 0
            } else if column > 0 {
                column += 1
            }
            items.append((mode, row, column, w))
            column += w
        }
        return (items, row + 1)
    }

    /// The groups to show in `height` rows: all when they fit, else as many as fit around the
    /// one holding the focus, as far up as possible with the focus still in sight.
    static func window(heights: [Int], keeping focus: Int, within height: Int) -> Range<Int> {
        if heights.reduce(0, +) <= height { return heights.indices }
        var first = focus, last = focus + 1
        var used = heights[focus]
        while first > 0, used + heights[first - 1] <= height {
            first -= 1
            used += heights[first]
        }
        while last < heights.count, used + heights[last] <= height {
            used += heights[last]
            last += 1
        }
        return first..<last
    }
}
