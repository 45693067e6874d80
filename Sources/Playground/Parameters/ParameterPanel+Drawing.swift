import Foundation

extension ParameterPanel {
    /// The title the panel's border shows: the preset's name while the parameters equal it.
    public var title: String {
        presetName.map { "Parameters · \($0)" } ?? "Parameters"
    }

    /// Draws the panel into `rect` of `screen`, never outside it, at any size. `focused` colours
    /// the border and the focused field, and places the terminal cursor in an open entry.
    public func draw(into screen: inout Screen, rect: Rect, focused: Bool) {
        guard !rect.isEmpty else { return }
        screen.fill(rect, style: .normal)
        let layout = ParameterPanelLayout(panel: self, rect: rect)
        if layout.bordered {
            screen.box(rect, style: focused ? .borderFocused : .border, title: title)
            if layout.hiddenAbove { screen.put("↑", row: rect.row, column: rect.right - 2, style: .border, clip: rect) }
            if layout.hiddenBelow { screen.put("↓", row: rect.bottom - 1, column: rect.right - 2, style: .border, clip: rect) }
        }
        for placement in layout.placements {
            drawField(placement, into: &screen, layout: layout, focused: focused)
        }
        let note = entry?.error.map { Message(text: $0, isError: true) } ?? message
        if let note, let area = layout.messageArea {
            // Wrapped over the free rows, its last line at the bottom.
            let lines = Self.wrapped(note.text, width: area.width, lines: area.height)
            for (index, line) in lines.enumerated() {
                screen.put(line, row: area.bottom - lines.count + index, column: area.column,
                           style: note.isError ? .error : .warning, clip: area)
            }
        }
    }

    private func drawField(_ placement: ParameterPanelLayout.Placement, into screen: inout Screen,
                           layout: ParameterPanelLayout, focused: Bool) {
        let field = placement.field
        let clip = layout.content
        let enabled = field.applies(in: parameters.mode)
        let highlighted = focused && focus == field
        let labelStyle: StyleSlot = !enabled ? .panelDisabled : highlighted ? .panelFocused : .panelLabel
        let valueStyle: StyleSlot = !enabled ? .panelDisabled : highlighted ? .panelFocused : .panelValue

        let labelText = layout.twoLines ? field.label : field.shortLabel
        put(labelText, in: placement.label, style: labelStyle, screen: &screen, clip: clip, keepingSpace: !layout.twoLines)

        if let entry, entry.field == field {
            drawEntry(entry.text, in: placement.entry, screen: &screen, clip: clip, focused: focused)
            return
        }
        for item in placement.modeItems {
            put(item.mode.rawValue, in: item.rect, style: item.mode == parameters.mode ? .modeSelected : .panelValue,
                screen: &screen, clip: clip)
        }
        guard field != .mode else { return }
        let value = TextWidth.truncated(field.displayValue(of: parameters), to: placement.value.width)
        let column = field.scale == nil ? placement.value.column : placement.value.right - TextWidth.width(of: value)
        screen.put(value, row: placement.value.row, column: column, style: valueStyle, clip: placement.value.intersection(clip))
        if let track = placement.track, let scale = field.scale, let number = field.number(in: parameters) {
            drawTrack(track, knob: scale.position(of: number, trackWidth: track.width), enabled: enabled, screen: &screen, clip: clip)
        }
    }

    /// A track: filled up to the knob, plain after it.
    private func drawTrack(_ track: Rect, knob: Int, enabled: Bool, screen: inout Screen, clip: Rect) {
        let area = track.intersection(clip)
        for offset in 0..<track.width {
            let (glyph, style): (String, StyleSlot) =
                offset < knob ? ("━", .sliderFill) : offset == knob ? ("●", .sliderKnob) : ("─", .sliderTrack)
            screen.put(glyph, row: track.row, column: track.column + offset, style: enabled ? style : .panelDisabled, clip: area)
        }
    }

    /// The typed text, its end kept in sight, with the cursor after it.
    private func drawEntry(_ text: String, in area: Rect, screen: inout Screen, clip: Rect, focused: Bool) {
        let visible = area.intersection(clip)
        guard !visible.isEmpty else { return }
        screen.fill(visible, style: .panelFocused)
        var shown = Substring(text)
        while !shown.isEmpty, TextWidth.width(of: shown) > area.width - 1 { shown = shown.dropFirst() }
        let end = screen.put(shown, row: area.row, column: area.column, style: .panelFocused, clip: visible)
        if focused, visible.contains(row: area.row, column: end) { screen.cursor = (area.row, end) }
    }

    /// `text` broken at spaces into at most `lines` lines of `width` cells; a word longer than
    /// a line is cut, and text that does not fit ends in "…".
    static func wrapped(_ text: String, width: Int, lines: Int) -> [String] {
        guard width > 0, lines > 0 else { return [] }
        var result: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty, result.count < lines {
            if result.count == lines - 1 || TextWidth.width(of: rest) <= width {
                result.append(TextWidth.truncated(String(rest), to: width))
                break
            }
            let fitting = TextWidth.prefix(of: rest, fitting: width).text
            // Break after the last space that fits, or inside a word longer than the line.
            let cut = fitting.lastIndex(of: " ").map { rest.index(after: $0) } ?? fitting.endIndex
            result.append(String(rest[..<cut]).trimmingCharacters(in: .whitespaces))
            rest = rest[cut...].drop { $0 == " " }
        }
        return result
    }

    /// `text` cut to `rect` (one cell short of it when `keepingSpace`, so a label never runs
    /// into what follows).
    private func put(_ text: String, in rect: Rect, style: StyleSlot, screen: inout Screen, clip: Rect, keepingSpace: Bool = false) {
        let room = keepingSpace ? rect.width - 1 : rect.width
        screen.put(TextWidth.truncated(text, to: room), row: rect.row, column: rect.column, style: style,
                   clip: rect.intersection(clip))
    }
}
