import Foundation

/// The history list at one moment: every record file of the folder, newest first, readable
/// runs with their summary and unreadable files with the reason.
public struct HistoryCatalog: Sendable {
    /// Newest first.
    public let entries: [HistoryEntry]
    /// Parallel to `entries`: each run's folded search text (empty for unreadable files).
    private let searchTexts: [[UInt8]]

    init(files: [IndexedFile]) {
        let sorted = files.sorted {
            $0.sortKey != $1.sortKey ? $0.sortKey > $1.sortKey : $0.entry.id > $1.entry.id
        }
        entries = sorted.map(\.entry)
        searchTexts = sorted.map(\.searchText)
    }

    public var runs: [HistorySummary] { entries.compactMap(\.summary) }

    public var unreadable: [UnreadableHistoryFile] {
        entries.compactMap {
            if case .unreadable(let file) = $0 { return file }
            return nil
        }
    }

    /// Positions in `entries` of the runs whose title, tags, model, prompt or outputs contain
    /// every word of `query` (case-insensitive), newest first; an empty query gives every
    /// entry. `candidates` limits the search to those positions.
    public func matches(_ query: String, among candidates: [Int]? = nil) -> [Int] {
        let terms = HistorySearchText.terms(query)
        let positions = candidates ?? Array(entries.indices)
        guard !terms.isEmpty else { return positions }
        return positions.filter { index in
            entries.indices.contains(index) && !searchTexts[index].isEmpty
                && terms.allSatisfy { HistorySearchText.contains(searchTexts[index], $0) }
        }
    }

    /// The entries matching `query` (see `matches`).
    public func search(_ query: String) -> [HistoryEntry] {
        matches(query).map { entries[$0] }
    }
}

/// Search as the user types: when the new query only adds to the previous one (more letters,
/// more words), its matches are a subset of the previous matches, so only those are searched
/// again.
public struct HistorySearch: Sendable {
    public private(set) var query = ""
    /// Positions in the catalog's `entries`, newest first.
    public private(set) var matches: [Int]

    public init(catalog: HistoryCatalog) {
        matches = Array(catalog.entries.indices)
    }

    public mutating func update(query newQuery: String, in catalog: HistoryCatalog) {
        let narrows = !query.trimmingCharacters(in: .whitespaces).isEmpty
            && newQuery.lowercased().hasPrefix(query.lowercased())
        matches = catalog.matches(newQuery, among: narrows ? matches : nil)
        query = newQuery
    }
}
