import Foundation
import GPT2

/// A run as the history list shows it.
public struct HistorySummary: Sendable, Equatable {
    public var id: String
    public var createdAt: Date
    public var title: String
    public var modelName: String
    public var mode: DecodingMode
    /// The prompt's first words, whitespace runs made single spaces (at most
    /// `previewLength` characters).
    public var promptPreview: String
    /// The first sequence's first words, likewise.
    public var outputPreview: String
    public var starred: Bool
    public var tags: [String]
    public var sequenceCount: Int

    public static let previewLength = 80

    public init(id: String, createdAt: Date, title: String, modelName: String, mode: DecodingMode,
                promptPreview: String, outputPreview: String, starred: Bool, tags: [String], sequenceCount: Int) {
        self.id = id
        self.createdAt = createdAt
        self.title = title
        self.modelName = modelName
        self.mode = mode
        self.promptPreview = promptPreview
        self.outputPreview = outputPreview
        self.starred = starred
        self.tags = tags
        self.sequenceCount = sequenceCount
    }

    public init(_ record: HistoryRecord) {
        self.init(id: record.id, createdAt: record.createdAt, title: record.title, modelName: record.model.name,
                  mode: record.parameters.mode, promptPreview: Self.preview(record.prompt),
                  outputPreview: Self.preview(record.sequences.first?.text ?? ""), starred: record.starred,
                  tags: record.tags, sequenceCount: record.sequences.count)
    }

    /// The title, or the prompt's first words when there is none: what a list line shows.
    public var displayTitle: String {
        title.isEmpty ? promptPreview : title
    }

    /// The first words of `text` on one line.
    public static func preview(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in text {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.append(character)
            if result.count >= previewLength { break }
        }
        return result
    }
}

/// A file of the history folder that is not a readable record; it stays on disk untouched.
public struct UnreadableHistoryFile: Sendable, Equatable {
    /// The file's name without `.json`.
    public var id: String
    public var reason: String

    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }
}

/// One line of the history list.
public enum HistoryEntry: Sendable, Equatable {
    case run(HistorySummary)
    case unreadable(UnreadableHistoryFile)

    public var id: String {
        switch self {
        case .run(let summary): return summary.id
        case .unreadable(let file): return file.id
        }
    }

    public var summary: HistorySummary? {
        if case .run(let summary) = self { return summary }
        return nil
    }
}
