/// The prompt editor as a value: text, cursor, kill ring, undo history and scroll position.
/// `perform` changes it, `draw` shows it; nothing here touches the terminal.
///
/// Positions are Character (grapheme cluster) offsets into `text`, from 0 to
/// `characterCount`. The text is kept as an array of clusters, so moving, inserting and
/// deleting cost no walk from the start of a `String`; laying out a 50,000-character prompt
/// after each command scans one byte per character.
///
/// Scrolling: the editor keeps the top visual row it shows (`scrollRow`) for the viewport it
/// was last given with `resize(width:height:)` (the playground's update calls it whenever the
/// layout gives the editor a new size), and every command scrolls just enough to keep the
/// cursor in view. `draw` stays pure: it starts from `scrollRow` and, should its rect differ
/// from the viewport, only scrolls as far as it must to show the cursor, storing nothing.
public struct PromptEditor: Equatable, Sendable {
    private(set) var storage: EditorText
    /// The cursor: a Character offset, 0 through `characterCount`.
    public private(set) var cursor: Int
    public private(set) var viewportWidth = 0
    public private(set) var viewportHeight = 0
    /// The first visual row shown in the viewport.
    public private(set) var scrollRow = 0
    /// Counts the changes to the text: a cheap way to see that it changed without comparing it.
    public private(set) var revision = 0
    private(set) var killRing = KillRing()
    private(set) var history = EditHistory()
    private var chain: CommandChain?

    /// An editor holding `text` (line ends normalised to LF), the cursor at its end.
    public init(text: String = "") {
        storage = EditorText(text.normalizingLineEndings)
        cursor = storage.count
    }

    /// The text as one string; built on each call (linear in its length), so read it when
    /// `perform` reports a change rather than on every frame.
    public var text: String { storage.string }
    public var characterCount: Int { storage.count }
    public var isEmpty: Bool { storage.count == 0 }

    /// Tells the editor the size it is drawn at, so commands keep the cursor in view and
    /// vertical moves follow the wrapped lines. Negative sizes count as 0 (unknown: no wrap).
    public mutating func resize(width: Int, height: Int) {
        viewportWidth = Self.clampedSize(width)
        viewportHeight = Self.clampedSize(height)
        scrollToCursor()
    }

    /// The text cut into visual lines `width` cells wide.
    public func layout(width: Int) -> EditorLayout {
        EditorLayout(classes: storage.classes, width: width)
    }

    /// The cursor's visual row (from the top of the text, not of the viewport) and column in
    /// the viewport's width.
    public var cursorPoint: EditorPoint {
        layout(width: viewportWidth).point(of: cursor)
    }

    /// Whether ↑ would leave the text: the playground recalls older prompts then.
    public var isCursorOnFirstVisualLine: Bool {
        layout(width: viewportWidth).row(of: cursor) == 0
    }

    /// Whether ↓ would leave the text: the playground recalls newer prompts then.
    public var isCursorOnLastVisualLine: Bool {
        let layout = layout(width: viewportWidth)
        return layout.row(of: cursor) == layout.lines.count - 1
    }

    /// Carries out `command`; returns whether the text changed (so the caller knows when to
    /// count tokens again).
    @discardableResult
    public mutating func perform(_ command: EditorCommand) -> Bool {
        let previous = chain
        chain = nil
        let changed = apply(command, after: previous)
        if changed { revision &+= 1 }
        cursor = storage.clamped(cursor)
        scrollToCursor()
        return changed
    }

    private mutating func apply(_ command: EditorCommand, after previous: CommandChain?) -> Bool {
        switch command {
        case .type(let character):
            return type(character, after: previous)
        case .newline:
            return type("\n", after: previous)
        case .paste(let text):
            return replace(cursor..<cursor, with: Array(text.normalizingLineEndings), cursorAtEnd: true, joiningLast: false)
        case .setText(let text):
            return replace(0..<storage.count, with: Array(text.normalizingLineEndings), cursorAtEnd: true, joiningLast: false)
        case .clear:
            return replace(0..<storage.count, with: [], cursorAtEnd: false, joiningLast: false)
        case .deleteBackward:
            chain = .deletingBackward
            guard cursor > 0 else { return false }
            return replace((cursor - 1)..<cursor, with: [], cursorAtEnd: false, joiningLast: previous == .deletingBackward)
        case .deleteForward:
            chain = .deletingForward
            guard cursor < storage.count else { return false }
            return replace(cursor..<(cursor + 1), with: [], cursorAtEnd: false, joiningLast: previous == .deletingForward)
        case .killWordBackward:
            return kill(storage.whitespaceWordStart(before: cursor)..<cursor, direction: .backward, after: previous)
        case .killWordForward:
            return kill(cursor..<storage.wordEnd(after: cursor), direction: .forward, after: previous)
        case .killToLineEnd:
            let end = storage.lineEnd(of: cursor)
            return kill(cursor..<(end == cursor ? min(end + 1, storage.count) : end), direction: .forward, after: previous)
        case .killToLineStart:
            let start = storage.lineStart(of: cursor)
            return kill((start == cursor ? max(start - 1, 0) : start)..<cursor, direction: .backward, after: previous)
        case .yank:
            guard let text = killRing.yankText, replace(cursor..<cursor, with: text, cursorAtEnd: true, joiningLast: false) else { return false }
            // Yank-pop takes back this step, so it may only follow a yank that recorded one.
            chain = .yanking
            return true
        case .yankPop:
            guard previous == .yanking, let text = killRing.rotate(), let before = history.discardLast(&storage) else { return false }
            chain = .yanking
            cursor = before
            replace(cursor..<cursor, with: text, cursorAtEnd: true, joiningLast: false)
            return true
        case .undo:
            guard let position = history.undo(&storage) else { return false }
            cursor = position
            return true
        case .redo:
            guard let position = history.redo(&storage) else { return false }
            cursor = position
            return true
        case .moveLeft:
            cursor = storage.clamped(cursor - 1)
        case .moveRight:
            cursor = storage.clamped(cursor + 1)
        case .moveWordLeft:
            cursor = storage.wordStart(before: cursor)
        case .moveWordRight:
            cursor = storage.wordEnd(after: cursor)
        case .moveToLineStart:
            cursor = storage.lineStart(of: cursor)
        case .moveToLineEnd:
            cursor = storage.lineEnd(of: cursor)
        case .moveToStart:
            cursor = 0
        case .moveToEnd:
            cursor = storage.count
        case .moveUp:
            moveVertically(by: -1, after: previous, leavingAtEdges: true)
        case .moveDown:
            moveVertically(by: 1, after: previous, leavingAtEdges: true)
        case .pageUp:
            moveVertically(by: -max(viewportHeight - 1, 1), after: previous, leavingAtEdges: false)
        case .pageDown:
            moveVertically(by: max(viewportHeight - 1, 1), after: previous, leavingAtEdges: false)
        case .click(let row, let column):
            let layout = layout(width: viewportWidth)
            let visibleRow = min(max(row, 0), layout.lines.count)
            cursor = layout.position(at: EditorPoint(row: scrollRow + visibleRow, column: column))
        }
        return false
    }

    /// Typed characters join one undo step until a word starts after white space.
    private mutating func type(_ character: Character, after previous: CommandChain?) -> Bool {
        let isWhitespace = character.isWhitespace
        var joining = false
        if case .typing(let afterWhitespace) = previous { joining = !afterWhitespace || isWhitespace }
        chain = .typing(afterWhitespace: isWhitespace)
        return replace(cursor..<cursor, with: Array(String(character).normalizingLineEndings), cursorAtEnd: true, joiningLast: joining)
    }

    private mutating func kill(_ range: Range<Int>, direction: KillRing.Direction, after previous: CommandChain?) -> Bool {
        chain = .killing
        killRing.kill(Array(storage.characters[range]), direction: direction, joiningPrevious: previous == .killing)
        return replace(range, with: [], cursorAtEnd: false, joiningLast: false)
    }

    /// Moves by `rows` visual lines towards the goal column (the column the first of a run of
    /// vertical moves started from). Past the first or last line the cursor goes to the start
    /// or end of the text when `leavingAtEdges`, else it stays on that line.
    private mutating func moveVertically(by rows: Int, after previous: CommandChain?, leavingAtEdges: Bool) {
        let layout = layout(width: viewportWidth)
        let point = layout.point(of: cursor)
        var goal = point.column
        if case .vertical(let goalColumn) = previous { goal = goalColumn }
        chain = .vertical(goalColumn: goal)
        let row = point.row + rows
        if leavingAtEdges, row < 0 {
            cursor = 0
        } else if leavingAtEdges, row >= layout.lines.count {
            cursor = storage.count
        } else {
            cursor = layout.position(at: EditorPoint(row: row, column: goal))
        }
    }

    /// Replaces `range`, puts the cursor at the start or end of what was inserted and records
    /// the edit for undo; returns whether the text changed.
    @discardableResult
    private mutating func replace(_ range: Range<Int>, with replacement: [Character], cursorAtEnd: Bool, joiningLast: Bool) -> Bool {
        let before = cursor
        let (edit, position) = storage.replace(range, with: replacement, mapping: range.lowerBound + (cursorAtEnd ? replacement.count : 0))
        cursor = position
        guard edit.removed != edit.inserted else { return false }
        history.record(edit, cursorBefore: before, cursorAfter: cursor, joiningLast: joiningLast)
        return true
    }

    private mutating func scrollToCursor() {
        let layout = layout(width: viewportWidth)
        scrollRow = Self.top(from: scrollRow, showing: layout.row(of: cursor), rows: layout.lines.count, height: viewportHeight)
    }

    /// The first row to show of `rows` in `height` rows: `preferred`, moved as little as needed
    /// to show `cursorRow`, and not so far down that rows below the text are shown while rows
    /// of it are hidden above.
    static func top(from preferred: Int, showing cursorRow: Int, rows: Int, height: Int) -> Int {
        guard height > 0 else { return max(0, min(preferred, cursorRow)) }
        let top = min(max(min(preferred, cursorRow), cursorRow - height + 1), rows - height)
        return max(top, 0)
    }

    /// Sizes beyond any terminal are cut so that row arithmetic cannot overflow.
    private static func clampedSize(_ size: Int) -> Int {
        min(max(size, 0), Int(Int32.max))
    }
}
