/// Cut text, kept as readline keeps it: a ring of the last `capacity` kills. A kill right after
/// a kill joins the newest entry (a forward kill appends to it, a backward kill prepends), yank
/// inserts the current entry and yank-pop rotates to the one before.
struct KillRing: Equatable, Sendable {
    enum Direction: Sendable {
        case forward, backward
    }

    /// readline's default kill ring size.
    static let capacity = 10

    /// Newest first.
    private(set) var entries: [[Character]] = []
    private var current = 0

    /// The entry yank inserts.
    var yankText: [Character]? {
        entries.isEmpty ? nil : entries[current]
    }

    mutating func kill(_ text: [Character], direction: Direction, joiningPrevious: Bool) {
        guard !text.isEmpty else { return }
        if joiningPrevious, !entries.isEmpty {
            switch direction {
            case .forward: entries[0].append(contentsOf: text)
            case .backward: entries[0].insert(contentsOf: text, at: 0)
            }
        } else {
            entries.insert(text, at: 0)
            if entries.count > Self.capacity { entries.removeLast() }
        }
        current = 0
    }

    /// Moves to the next older entry (wrapping round) and returns it, for yank-pop.
    mutating func rotate() -> [Character]? {
        guard !entries.isEmpty else { return nil }
        current = (current + 1) % entries.count
        return entries[current]
    }
}
