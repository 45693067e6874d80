/// One replacement in the text, in Character offsets: `removed` was at `offset` and
/// `inserted` took its place. It holds both sides, so undo and redo apply it either way exactly.
struct TextEdit: Equatable, Sendable {
    var offset: Int
    var removed: [Character]
    var inserted: [Character]

    /// The edit that takes the text back.
    var inverse: TextEdit {
        TextEdit(offset: offset, removed: inserted, inserted: removed)
    }

    /// How many characters the edit stores, for bounding the undo history.
    var size: Int { removed.count + inserted.count }
}
