/// The editor's text as grapheme clusters (`Character`s) with their classes alongside, so any
/// Character offset is reached in O(1) and an edit costs one array move, not a walk from the
/// start of a `String`.
///
/// It always holds exactly the clusters Swift finds in the whole string: an edit re-clusters
/// across its seams, so a combining mark typed after "e" joins it, a regional indicator typed
/// after another becomes a flag, and deleting a newline between "a" and a lone accent merges
/// them.
struct EditorText: Equatable, Sendable {
    private(set) var characters: [Character]
    private(set) var classes: [CharacterClass]

    init(_ string: String = "") {
        characters = Array(string)
        classes = characters.map(CharacterClass.init)
    }

    var count: Int { characters.count }
    var string: String { String(characters) }

    /// Replaces `range` with `replacement` (clusters of one string) and re-clusters around the
    /// seams. Returns the edit actually made, which is wider than `range` when clusters merged
    /// across a seam, and where `position`, an offset into the text as asked for, lands
    /// afterwards (a position swallowed by a merged cluster moves to that cluster's end).
    mutating func replace(_ range: Range<Int>, with replacement: [Character], mapping position: Int) -> (edit: TextEdit, position: Int) {
        let lower = min(max(range.lowerBound, 0), count)
        let upper = min(max(range.upperBound, lower), count)
        // The cluster before the edit can absorb what is inserted; clusters after it can
        // re-pair (regional indicators), so the window grows until its end is a boundary
        // again, doubling so that a long run of flags is still linear.
        let start = max(lower - 1, 0)
        var end = min(upper + 1, count)
        var growth = 1
        var window: [Character]
        var clustered: [Character]
        while true {
            window = Array(characters[start..<lower]) + replacement + characters[upper..<end]
            clustered = Array(String(window))
            guard end < count, let last = clustered.last else { break }
            let next = characters[end]
            if Array(String(last) + String(next)) == [last, next] { break }
            end = min(end + growth, count)
            growth *= 2
        }
        let edit = TextEdit(offset: start, removed: Array(characters[start..<end]), inserted: clustered)
        apply(edit)
        return (edit, Self.map(position, window: window, at: start, into: clustered))
    }

    /// Applies an edit made earlier (by `replace`, or its inverse) exactly, without
    /// re-clustering: it restores a clustering that was valid.
    mutating func apply(_ edit: TextEdit) {
        let lower = min(max(edit.offset, 0), count)
        let upper = min(lower + edit.removed.count, count)
        characters.replaceSubrange(lower..<upper, with: edit.inserted)
        classes.replaceSubrange(lower..<upper, with: edit.inserted.map(CharacterClass.init))
    }

    /// Maps an offset into `window` (placed at `start`) to an offset into `clustered`, the same
    /// text re-clustered, by counting UTF-8 bytes and rounding up to a cluster boundary.
    private static func map(_ position: Int, window: [Character], at start: Int, into clustered: [Character]) -> Int {
        guard position > start else { return position }
        guard position < start + window.count else { return position - window.count + clustered.count }
        let bytes = window[0..<(position - start)].reduce(0) { $0 + $1.utf8.count }
        var seen = 0
        for (index, character) in clustered.enumerated() {
            if seen >= bytes { return start + index }
            seen += character.utf8.count
        }
        return start + clustered.count
    }
}
