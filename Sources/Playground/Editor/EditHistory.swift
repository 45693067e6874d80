/// Undo and redo. A step is one or more edits made as one user action (a typed word, a paste,
/// a run of deletions); undoing it applies their inverses in reverse order and puts the cursor
/// back where it was. The history keeps at most `maximumSteps` steps and, beyond the newest,
/// at most `maximumCharacters` stored characters, so replacing a huge prompt again and again
/// cannot grow memory without bound.
struct EditHistory: Equatable, Sendable {
    struct Step: Equatable, Sendable {
        var edits: [TextEdit]
        var cursorBefore: Int
        var cursorAfter: Int
        var size: Int
    }

    static let maximumSteps = 1_000
    static let maximumCharacters = 4_000_000

    private(set) var undoSteps: [Step] = []
    private(set) var redoSteps: [Step] = []
    private var storedCharacters = 0

    /// Records an edit just made; `joiningLast` adds it to the newest step instead of opening
    /// a new one. Any new edit forgets what could be redone.
    mutating func record(_ edit: TextEdit, cursorBefore: Int, cursorAfter: Int, joiningLast: Bool) {
        storedCharacters -= redoSteps.reduce(0) { $0 + $1.size }
        redoSteps.removeAll()
        storedCharacters += edit.size
        if joiningLast, var last = undoSteps.popLast() {
            last.edits.append(edit)
            last.cursorAfter = cursorAfter
            last.size += edit.size
            undoSteps.append(last)
        } else {
            undoSteps.append(Step(edits: [edit], cursorBefore: cursorBefore, cursorAfter: cursorAfter, size: edit.size))
        }
        while undoSteps.count > Self.maximumSteps || (storedCharacters > Self.maximumCharacters && undoSteps.count > 1) {
            storedCharacters -= undoSteps.removeFirst().size
        }
    }

    /// Reverts the newest step in `text`; returns where the cursor goes, or nil when there is
    /// nothing to undo.
    mutating func undo(_ text: inout EditorText) -> Int? {
        guard let step = undoSteps.popLast() else { return nil }
        revert(step, in: &text)
        redoSteps.append(step)
        return step.cursorBefore
    }

    /// Applies again the step undone last; returns where the cursor goes, or nil when there is
    /// nothing to redo.
    mutating func redo(_ text: inout EditorText) -> Int? {
        guard let step = redoSteps.popLast() else { return nil }
        for edit in step.edits { text.apply(edit) }
        undoSteps.append(step)
        return step.cursorAfter
    }

    /// Reverts the newest step and forgets it (yank-pop replaces a yank this way); returns
    /// where the cursor was before it.
    mutating func discardLast(_ text: inout EditorText) -> Int? {
        guard let step = undoSteps.popLast() else { return nil }
        revert(step, in: &text)
        storedCharacters -= step.size
        return step.cursorBefore
    }

    private func revert(_ step: Step, in text: inout EditorText) {
        for edit in step.edits.reversed() { text.apply(edit.inverse) }
    }
}
