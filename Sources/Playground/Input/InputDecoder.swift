/// Turns what the terminal sends into input events: characters and curses key codes become
/// keys (control characters are Ctrl keys, ESC before a key is Alt), escape sequences curses
/// does not know become the keys they stand for, xterm mouse reports (SGR and X10) become mouse
/// events, and a bracketed paste (`ESC [ 200 ~ … ESC [ 201 ~`) becomes one `.paste`, however
/// long and however split across reads.
///
/// Time matters for ESC: the Esc key sends ESC alone, Alt-x sends ESC x, an arrow ESC [ A. An
/// ESC with nothing after it is the Esc key once `Timing.loneEscape` has passed with no input
/// (`idle(at:)` decides). Times are milliseconds of any monotonic clock.
public struct InputDecoder: Sendable {
    public struct Timing: Hashable, Sendable {
        /// How long an ESC must stand alone to be the Esc key. A backend whose reads already
        /// wait for the rest of a sequence (curses' `ESCDELAY`) can use 0.
        public var loneEscape: Int
        /// How long to wait for the rest of an escape sequence before giving up on it.
        public var unfinishedSequence: Int
        /// How long a paste may pause before the text so far is taken as the whole paste (a
        /// terminal that lost the end marker must not swallow all later input).
        public var unfinishedPaste: Int

        public init(loneEscape: Int = 25, unfinishedSequence: Int = 100, unfinishedPaste: Int = 1000) {
            self.loneEscape = loneEscape
            self.unfinishedSequence = unfinishedSequence
            self.unfinishedPaste = unfinishedPaste
        }
    }

    public var timing: Timing
    /// The characters after an ESC, while a sequence is being read; nil when none is.
    private var sequence: [Unicode.Scalar]?
    private var paste: PasteText?
    private var lastInput = 0
    private var leftButtonDown = false

    public init(timing: Timing = Timing()) {
        self.timing = timing
    }

    /// True while an escape sequence or a paste is unfinished: `idle(at:)` will have something
    /// to say once its time has passed.
    public var isWaiting: Bool { sequence != nil || paste != nil }

    /// The events `inputs`, read at `now`, complete.
    public mutating func decode(_ inputs: [RawInput], at now: Int) -> [InputEvent] {
        inputs.flatMap { decode($0, at: now) }
    }

    /// The events `input`, read at `now`, completes.
    public mutating func decode(_ input: RawInput, at now: Int) -> [InputEvent] {
        lastInput = now
        switch input {
        case .resize(let width, let height):
            return [.resize(width: width, height: height)]
        case .key(let name):
            return decodeKey(named: name)
        case .character(let scalar):
            return decodeCharacter(scalar)
        }
    }

    /// What waiting input means once nothing more came until `now`: a lone ESC is the Esc key,
    /// an unfinished sequence is dropped (an unfinished `ESC [` or `ESC O` is Alt-[ or Alt-O),
    /// an unfinished paste is taken as it is.
    public mutating func idle(at now: Int) -> [InputEvent] {
        let quiet = now - lastInput
        if var text = paste {
            guard quiet >= timing.unfinishedPaste else { return [] }
            paste = nil
            return [.paste(text.finish())]
        }
        guard let waiting = sequence else { return [] }
        if waiting.isEmpty {
            guard quiet >= timing.loneEscape else { return [] }
            sequence = nil
            return [.key(KeyPress(.escape))]
        }
        guard quiet >= timing.unfinishedSequence else { return [] }
        sequence = nil
        guard waiting.count == 1, let key = TerminalKeys.key(for: waiting[0]) else { return [] }
        return [.key(TerminalKeys.adding(.alt, to: key))]
    }

    private mutating func decodeKey(named name: String) -> [InputEvent] {
        if paste != nil {
            if name == "KEY_ENTER" { paste?.append("\n") }
            return []
        }
        guard let key = CursesKeyName.key(named: name) else {
            sequence = nil
            return []
        }
        // ESC before a key curses recognised is Alt plus that key (ESC ESC [ A is Alt-Up).
        let alt = sequence == [] ? TerminalKeys.adding(.alt, to: key) : key
        sequence = nil
        return [.key(alt)]
    }

    private mutating func decodeCharacter(_ scalar: Unicode.Scalar) -> [InputEvent] {
        if paste != nil { return pasteCharacter(scalar) }
        guard var rest = sequence else {
            if scalar == TerminalKeys.escape {
                sequence = []
                return []
            }
            return TerminalKeys.key(for: scalar).map { [.key($0)] } ?? []
        }
        if scalar == TerminalKeys.escape {
            // A second ESC: the first was the Esc key, or whatever unfinished sequence it began
            // was lost.
            sequence = []
            return rest.isEmpty ? [.key(KeyPress(.escape))] : []
        }
        rest.append(scalar)
        switch EscapeSequence.parse(rest) {
        case .incomplete:
            sequence = rest
            return []
        case .key(let key):
            sequence = nil
            return [.key(key)]
        case .mouse(let report):
            sequence = nil
            return mouseEvent(report).map { [.mouse($0)] } ?? []
        case .pasteStart:
            sequence = nil
            paste = PasteText()
            return []
        case .pasteEnd, .ignored:
            sequence = nil
            return []
        case .broken:
            // The character that broke the sequence is input of its own; after a lone
            // introducer ("ESC [" then x), the introducer was Alt plus it.
            sequence = nil
            var events: [InputEvent] = []
            if rest.count == 2, let key = TerminalKeys.key(for: rest[0]) {
                events.append(.key(TerminalKeys.adding(.alt, to: key)))
            }
            return events + decodeCharacter(scalar)
        }
    }

    private mutating func pasteCharacter(_ scalar: Unicode.Scalar) -> [InputEvent] {
        guard var text = paste else { return [] }
        let finished = text.take(scalar)
        if finished {
            paste = nil
            return [.paste(text.finish())]
        }
        paste = text
        return []
    }

    /// Left-button presses, releases and drags, and the wheel; other buttons are not used.
    private mutating func mouseEvent(_ report: EscapeSequence.MouseReport) -> MouseEvent? {
        let row = max(0, report.row), column = max(0, report.column)
        let button = report.code & 3
        if report.code & 64 != 0 {
            switch button {
            case 0: return MouseEvent(.scrollUp, row: row, column: column)
            case 1: return MouseEvent(.scrollDown, row: row, column: column)
            default: return nil
            }
        }
        if report.code & 32 != 0 {
            return button == 0 && leftButtonDown ? MouseEvent(.drag, row: row, column: column) : nil
        }
        if report.isRelease {
            // X10 reports do not say which button went up.
            guard leftButtonDown, button == 0 || button == 3 else { return nil }
            leftButtonDown = false
            return MouseEvent(.release, row: row, column: column)
        }
        guard button == 0 else { return nil }
        leftButtonDown = true
        return MouseEvent(.press, row: row, column: column)
    }
}

/// The text of a bracketed paste as it comes in: line ends become "\n" (CR LF and CR alike),
/// and the end marker `ESC [ 201 ~` is watched for.
private struct PasteText {
    static let endMarker: [Unicode.Scalar] = ["\u{1B}", "[", "2", "0", "1", "~"]

    private var text = String.UnicodeScalarView()
    /// Characters that may be the start of the end marker.
    private var marker: [Unicode.Scalar] = []
    private var afterCarriageReturn = false

    /// Takes one character; true when it completed the end marker.
    mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard !marker.isEmpty || scalar == TerminalKeys.escape else {
            append(scalar)
            return false
        }
        marker.append(scalar)
        if Self.endMarker.starts(with: marker) {
            return marker.count == Self.endMarker.count
        }
        // Not the marker after all: that was text, but a new ESC may begin it again.
        let last = marker.removeLast()
        marker.forEach { append($0) }
        marker = []
        if last == TerminalKeys.escape { marker = [last] } else { append(last) }
        return false
    }

    mutating func append(_ scalar: Unicode.Scalar) {
        defer { afterCarriageReturn = scalar == "\r" }
        switch scalar {
        case "\r": text.append("\n")
        case "\n" where afterCarriageReturn: break
        default: text.append(scalar)
        }
    }

    /// The text, with any half-seen marker kept as text.
    mutating func finish() -> String {
        if marker != Self.endMarker { marker.forEach { append($0) } }
        marker = []
        return String(text)
    }
}
