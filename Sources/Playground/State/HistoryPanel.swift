import Foundation
import GPT2

/// The history panel as the state holds it: the list (newest first), what the search kept,
/// the selected line, and a question or a tag entry when one is open.
public struct HistoryPanel: Equatable, Sendable {
    public var entries: [HistoryEntry]
    /// Positions in `entries` that match the search, newest first.
    public var matches: [Int]
    /// Index into `matches`.
    public var selected = 0
    public var query = ""
    /// The run whose deletion waits for a second press.
    public var confirmingDelete: String?
    /// Tags being typed for the selected run ("a, b").
    public var tagEntry: String?

    public init(entries: [HistoryEntry]) {
        self.entries = entries
        matches = Array(entries.indices)
    }

    public var selectedEntry: HistoryEntry? {
        guard matches.indices.contains(selected), entries.indices.contains(matches[selected]) else { return nil }
        return entries[matches[selected]]
    }
}

extension PlaygroundState {
    mutating func performOnHistory(_ action: Action) -> [Effect] {
        guard var panel = history else { return [] }
        defer { if history != nil { history = panel } }
        let deleting = panel.confirmingDelete
        panel.confirmingDelete = nil
        switch action {
        case .historyUp: panel.selected = max(0, panel.selected - 1)
        case .historyDown: panel.selected = min(max(0, panel.matches.count - 1), panel.selected + 1)
        case .historyRestore, .historyRerun:
            guard case .run(let summary)? = panel.selectedEntry else { return [] }
            return [.restoreHistory(id: summary.id, rerun: action == .historyRerun)]
        case .historyStar:
            guard case .run(var summary)? = panel.selectedEntry else { return [] }
            summary.starred.toggle()
            panel.entries[panel.matches[panel.selected]] = .run(summary)
            return [.starHistory(id: summary.id, starred: summary.starred)]
        case .historyTag:
            guard case .run(let summary)? = panel.selectedEntry else { return [] }
            panel.tagEntry = summary.tags.joined(separator: ", ")
        case .historyDelete:
            guard let entry = panel.selectedEntry else { return [] }
            guard deleting == entry.id else {
                panel.confirmingDelete = entry.id
                return []
            }
            panel.entries.remove(at: panel.matches[panel.selected])
            panel.matches = panel.matches.filter { $0 != panel.matches[panel.selected] }.map { $0 > panel.matches[panel.selected] ? $0 - 1 : $0 }
            panel.selected = min(panel.selected, max(0, panel.matches.count - 1))
            return [.trashHistory(id: entry.id)]
        case .historyExport:
            guard case .run(let summary)? = panel.selectedEntry else { return [] }
            return [.exportHistory(id: summary.id)]
        case .historySearch:
            panel.query = ""
            return [.searchHistory("")]
        default:
            break
        }
        return []
    }

    /// Keys while the panel is open: its own bindings, text for the search (or the tag entry),
    /// Esc to close, and the global keys.
    mutating func historyKey(_ key: KeyPress) -> [Effect] {
        guard var panel = history else { return [] }
        if var tags = panel.tagEntry {
            switch key.key {
            case .enter:
                panel.tagEntry = nil
                let list = tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                if case .run(var summary)? = panel.selectedEntry {
                    summary.tags = list
                    panel.entries[panel.matches[panel.selected]] = .run(summary)
                    history = panel
                    return [.tagHistory(id: summary.id, tags: list)]
                }
            case .escape: panel.tagEntry = nil
            case .backspace: if !tags.isEmpty { tags.removeLast() }; panel.tagEntry = tags
            default:
                if let c = key.typedCharacter { tags.append(c); panel.tagEntry = tags }
            }
            history = panel
            return []
        }
        let action = keymap.action(for: key, in: .history)
        if action?.context == .history { return performOnHistory(action ?? .historyUp) }
        if let c = key.typedCharacter {
            panel.query.append(c)
            panel.selected = 0
            history = panel
            return [.searchHistory(panel.query)]
        }
        if key.key == .backspace, !panel.query.isEmpty {
            panel.query.removeLast()
            panel.selected = 0
            history = panel
            return [.searchHistory(panel.query)]
        }
        if action == .stop || action == .openHistory {
            history = nil
            return []
        }
        guard let action else { return [] }
        return perform(action)
    }

    /// A restored run: its prompt, every parameter and the seed it used, so running it again
    /// gives the same text.
    mutating func restore(id: String, request: GenerationRequest, rerun: Bool) -> [Effect] {
        history = nil
        editor.perform(.setText(request.input))
        panel.perform(.load(request.parameters))
        focus = .prompt
        say("restored run \(id) (seed \(request.parameters.seed.map(String.init) ?? "random"))", error: false)
        return rerun ? startRun(seed: panel.parameters.seed) : []
    }
}
