import GPT2

/// The parameter panel as a plain value: the parameters, the focused field, an optional entry
/// where an exact value is being typed, and a one-line message. `perform` applies a command;
/// every change leaves parameters that pass `GenerationParameters.validate()` and lie inside
/// each field's range.
///
/// In beam mode the sequences can never outnumber the beams: raising the sequences (or
/// switching to beam mode) raises the beams with them, lowering the beams lowers the sequences
/// with them, and the message says so. The beams' range (up to 16) always covers the sequences'
/// (up to 8), so such a change is never refused.
public struct ParameterPanel: Equatable, Sendable {
    public private(set) var parameters: GenerationParameters
    public private(set) var focus: ParameterField = .mode
    /// The exact value being typed, if any.
    public private(set) var entry: Entry?
    /// What the last command has to say (a clamped partner value, a refusal), cleared by the
    /// next command.
    public private(set) var message: Message?
    /// The preset last applied; the title names it while the parameters still equal it.
    public private(set) var appliedPreset: Preset?
    /// The slider a mouse drag is moving.
    private(set) var dragging: ParameterField?

    /// Text typed for the field `field`, and why it was refused when it was.
    public struct Entry: Equatable, Sendable {
        public var field: ParameterField
        public var text: String
        public var error: String?
    }

    public struct Message: Equatable, Sendable {
        public var text: String
        public var isError: Bool
    }

    public enum Command: Equatable, Sendable {
        /// Moves the focus to the next (previous) field that applies in the mode, wrapping.
        case focusNext, focusPrevious
        case focus(ParameterField)
        /// Moves the focused field one step; on the mode, cycles the mode.
        case increase(StepSize), decrease(StepSize)
        /// Cycles the mode wherever the focus is.
        case cycleMode(forward: Bool)
        case resetFocused, resetAll
        /// Opens an entry holding the focused field's value as text.
        case beginTyping
        /// Appends characters (typed or pasted) to the entry; opens an empty entry when none is
        /// open, so typing a number on a focused field replaces its value.
        case type(String)
        case backspace
        /// Sets the field from the entry's text, or keeps the entry open with the reason.
        case commitTyping
        case cancelTyping
        /// A mouse action at a screen cell, with the rectangle the panel was drawn in: a press
        /// focuses a field, picks a mode or moves a slider to the cell; a drag keeps moving the
        /// slider the press started on; the wheel steps the field under it.
        case mouse(MouseEvent, panel: Rect)
        case applyPreset(Preset)
        /// Takes parameters from elsewhere (a history entry, a request), clamped into the
        /// panel's ranges; the message names what had to change.
        case load(GenerationParameters)
    }

    public init(parameters: GenerationParameters = GenerationParameters()) {
        self.parameters = GenerationParameters()
        perform(.load(parameters))
        message = nil
    }

    public var isTyping: Bool { entry != nil }

    /// The fields that apply in the current mode, in panel order.
    public var activeFields: [ParameterField] {
        ParameterField.allCases.filter { $0.applies(in: parameters.mode) }
    }

    /// Applies `command`; returns whether the parameters changed. Any command other than the
    /// entry's own (type, backspace, commit, cancel) first closes an open entry unapplied.
    @discardableResult
    public mutating func perform(_ command: Command) -> Bool {
        message = nil
        switch command {
        case .type, .backspace, .commitTyping, .cancelTyping, .beginTyping: break
        default: entry = nil
        }
        switch command {
        case .focusNext: moveFocus(by: 1)
        case .focusPrevious: moveFocus(by: -1)
        case .focus(let field): focusIfApplicable(field)
        case .increase(let size): return step(focus, direction: 1, size: size)
        case .decrease(let size): return step(focus, direction: -1, size: size)
        case .cycleMode(let forward): return step(.mode, direction: forward ? 1 : -1, size: .fine)
        case .resetFocused: return change(to: focus.reset(parameters), by: focus)
        case .resetAll: return change(to: GenerationParameters(), by: nil)
        case .beginTyping: entry = Entry(field: focus, text: focus.editText(of: parameters))
        case .type(let text): type(text)
        case .backspace:
            if entry?.text.isEmpty == false { entry?.text.removeLast() }
            entry?.error = nil
        case .commitTyping: return commitEntry()
        case .cancelTyping: entry = nil
        case .mouse(let event, let rect): return mouse(event, in: rect)
        case .applyPreset(let preset):
            let changed = load(preset.parameters)
            appliedPreset = Preset(name: preset.name, parameters: parameters, isBuiltIn: preset.isBuiltIn)
            return changed
        case .load(let p): return load(p)
        }
        return false
    }

    /// Whether the current parameters can be handed to a run started with `running` while it
    /// streams (`GenerationRun.checkLiveUpdate`): sampling settings can, while the mode, the
    /// sequences, the beams and the stop strings need a new run.
    public func liveUpdate(from running: GenerationParameters) -> LiveUpdate {
        if parameters == running { return .unchanged }
        do {
            try GenerationRun.checkLiveUpdate(from: running, to: parameters)
            return .applies
        } catch {
            return .needsRestart(error.description)
        }
    }

    /// The name of the preset the parameters still equal, if one was applied.
    public var presetName: String? {
        guard let appliedPreset, appliedPreset.parameters == parameters else { return nil }
        return appliedPreset.name
    }

    // MARK: - Changes

    /// Makes `candidate` the parameters after keeping the beams and sequences in step (see the
    /// type's comment); refuses it with the validation's message if it is still invalid.
    private mutating func change(to candidate: GenerationParameters, by field: ParameterField?) -> Bool {
        var p = candidate
        var note: String?
        if p.mode == .beam, p.numReturnSequences > p.numBeams {
            if field == .numBeams {
                p.numReturnSequences = p.numBeams
                note = "sequences lowered to \(p.numBeams): beam search returns at most num_beams"
            } else {
                p.numBeams = p.numReturnSequences
                note = "beams raised to \(p.numBeams) to cover \(p.numReturnSequences) sequences"
            }
        }
        do {
            try p.validate()
        } catch {
            message = Message(text: error.description, isError: true)
            return false
        }
        let changed = p != parameters
        parameters = p
        if let note { message = Message(text: note, isError: false) }
        if !focus.applies(in: p.mode) { moveFocus(by: 1) }
        return changed
    }

    private mutating func step(_ field: ParameterField, direction: Int, size: StepSize) -> Bool {
        guard field.applies(in: parameters.mode) else {
            message = Message(text: field.notApplicableReason(in: parameters.mode), isError: true)
            return false
        }
        guard let p = field.stepped(parameters, direction: direction, size: size) else {
            message = Message(text: "\(field.requestKey) has no steps: type the value instead", isError: false)
            return false
        }
        return change(to: p, by: field)
    }

    private mutating func load(_ p: GenerationParameters) -> Bool {
        let (clamped, adjusted) = ParameterField.clampedToRanges(p)
        let changed = change(to: clamped, by: nil)
        if !adjusted.isEmpty, message?.isError != true {
            message = Message(text: "adjusted to the panel's ranges: " + adjusted.joined(separator: ", "), isError: false)
        }
        return changed
    }

    // MARK: - Focus

    private mutating func moveFocus(by offset: Int) {
        let fields = ParameterField.allCases
        var index = fields.firstIndex(of: focus) ?? 0
        for _ in fields.indices {
            index = (index + offset + fields.count) % fields.count
            if fields[index].applies(in: parameters.mode) { break }
        }
        focus = fields[index]
    }

    /// Focuses `field`, or says why a field the mode does not use cannot have the focus.
    private mutating func focusIfApplicable(_ field: ParameterField) {
        if field.applies(in: parameters.mode) {
            focus = field
        } else {
            message = Message(text: field.notApplicableReason(in: parameters.mode), isError: true)
        }
    }

    // MARK: - Typing

    private mutating func type(_ text: String) {
        let field = entry?.field ?? focus
        guard field.applies(in: parameters.mode) else {
            message = Message(text: field.notApplicableReason(in: parameters.mode), isError: true)
            return
        }
        // A stop string may hold a newline or a tab: they go in as their escapes. The other
        // fields are one short line, so control characters (a pasted newline) are dropped.
        var added = ""
        for character in text {
            if field == .stop, character.unicodeScalars.contains(where: { TextWidth.isControl($0) }) {
                added += StopStringsText.format([String(character)])
            } else if !character.unicodeScalars.contains(where: { TextWidth.isControl($0) }) {
                added.append(character)
            }
        }
        entry = Entry(field: field, text: (entry?.text ?? "") + added)
    }

    private mutating func commitEntry() -> Bool {
        guard let current = entry else { return false }
        do {
            let p = try current.field.parse(current.text, into: parameters)
            entry = nil
            return change(to: p, by: current.field)
        } catch {
            entry?.error = error.message
            return false
        }
    }

    // MARK: - Mouse

    private mutating func mouse(_ event: MouseEvent, in rect: Rect) -> Bool {
        let layout = ParameterPanelLayout(panel: self, rect: rect)
        switch event.action {
        case .press:
            dragging = nil
            switch layout.hit(row: event.row, column: event.column) {
            case .mode(let mode)?:
                focus = .mode
                var p = parameters
                p.mode = mode
                return change(to: p, by: .mode)
            case .slider(let field, let value)?:
                focusIfApplicable(field)
                guard focus == field else { return false }
                dragging = field
                return change(to: field.setting(value, in: parameters), by: field)
            case .field(let field)?:
                focusIfApplicable(field)
                return false
            case nil:
                return false
            }
        case .drag, .release:
            guard let field = dragging, let value = layout.sliderValue(of: field, atColumn: event.column) else {
                if event.action == .release { dragging = nil }
                return false
            }
            if event.action == .release { dragging = nil }
            return change(to: field.setting(value, in: parameters), by: field)
        case .scrollUp, .scrollDown:
            guard let field = layout.hit(row: event.row, column: event.column)?.field else { return false }
            focusIfApplicable(field)
            guard focus == field else { return false }
            return step(field, direction: event.action == .scrollUp ? 1 : -1, size: .fine)
        }
    }
}

/// Whether new panel parameters can reach a running generation.
public enum LiveUpdate: Equatable, Sendable {
    /// Nothing differs from the running parameters.
    case unchanged
    /// Send them to the run: they apply from its next token.
    case applies
    /// The run cannot take them (why, in one line); they apply to the next run.
    case needsRestart(String)
}
