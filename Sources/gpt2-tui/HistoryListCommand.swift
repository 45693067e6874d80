import ArgumentParser
import Foundation
import GPT2
import Playground
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct HistoryListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List saved runs, newest first: id, local time, star, model, mode, title or first words, tags.",
        discussion: "Files that cannot be read are listed too, with the reason; they are never changed."
    )

    @OptionGroup var historyOptions: HistoryOptions

    @Option(help: "Only runs whose title, tags, model, prompt or outputs contain every word of this.")
    var search: String?

    @Flag(help: "Only starred runs.")
    var starred = false

    @Option(help: "At most this many lines.")
    var limit: Int?

    @Flag(help: "Print a JSON list instead.")
    var json = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
    }

    func run() throws {
        let catalog = try reportingHistoryErrors { try historyOptions.store.catalog() }
        var entries = search.map { catalog.search($0) } ?? catalog.entries
        if starred { entries = entries.filter { $0.summary?.starred == true } }
        if let limit { entries = Array(entries.prefix(limit)) }
        if json {
            print(try JSONText.encode(entries.map(ListedRun.init)))
            return
        }
        let idWidth = entries.map { $0.id.count }.max() ?? 0
        let modelWidth = entries.compactMap { $0.summary?.modelName.count }.max() ?? 0
        for entry in entries {
            let id = entry.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
            switch entry {
            case .run(let run):
                let tags = run.tags.isEmpty ? "" : "  [" + run.tags.joined(separator: ", ") + "]"
                print("\(id)  \(Self.localTime(run.createdAt))  \(run.starred ? "*" : " ")  "
                      + "\(run.modelName.padding(toLength: modelWidth, withPad: " ", startingAt: 0))  "
                      + "\(run.mode.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))  \(run.displayTitle)\(tags)")
            case .unreadable(let file):
                print("\(id)  unreadable: \(file.reason)")
            }
        }
    }

    /// "2026-11-22 11:15" in the local time zone ($TZ).
    static func localTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var t = tm()
        localtime_r(&seconds, &t)
        return String(format: "%04d-%02d-%02d %02d:%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min)
    }

    /// One element of `list --json`.
    struct ListedRun: Encodable {
        var id: String
        var created_at: String?
        var title: String?
        var model: String?
        var mode: String?
        var prompt: String?
        var output: String?
        var starred: Bool?
        var tags: [String]?
        var sequences: Int?
        var unreadable: String?

        init(_ entry: HistoryEntry) {
            id = entry.id
            switch entry {
            case .run(let run):
                created_at = HistoryTimestamp.iso8601(run.createdAt)
                title = run.title
                model = run.modelName
                mode = run.mode.rawValue
                prompt = run.promptPreview
                output = run.outputPreview
                starred = run.starred
                tags = run.tags
                sequences = run.sequenceCount
            case .unreadable(let file):
                unreadable = file.reason
            }
        }
    }
}
