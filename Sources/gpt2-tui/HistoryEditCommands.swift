import ArgumentParser
import Playground

struct HistoryRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Move a run's file to the trash/ folder of the history (nothing is destroyed).")

    @OptionGroup var historyOptions: HistoryOptions

    @Argument(help: "The run's id, or a prefix only it has.")
    var id: String

    func run() throws {
        let store = historyOptions.store
        let target = try reportingHistoryErrors { try store.moveToTrash(id: try store.resolve(id)) }
        print("moved to \(target.path)")
    }
}

struct HistoryStarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "star", abstract: "Star a run (or unstar it with --off).")

    @OptionGroup var historyOptions: HistoryOptions

    @Argument(help: "The run's id, or a prefix only it has.")
    var id: String

    @Flag(help: "Remove the star.")
    var off = false

    func run() throws {
        let store = historyOptions.store
        try reportingHistoryErrors { try store.setStarred(!off, id: try store.resolve(id)) }
    }
}

struct HistoryTagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tag", abstract: "Add tags to a run (or remove them with --remove).")

    @OptionGroup var historyOptions: HistoryOptions

    @Argument(help: "The run's id, or a prefix only it has.")
    var id: String

    @Argument(help: "The tags.")
    var tags: [String]

    @Flag(help: "Remove these tags instead.")
    var remove = false

    func validate() throws {
        if tags.isEmpty { throw ValidationError("give at least one tag") }
    }

    func run() throws {
        let store = historyOptions.store
        try reportingHistoryErrors {
            let id = try store.resolve(id)
            let given = try HistoryStore.cleanTags(tags)
            try store.update(id: id) { (record: inout HistoryRecord) throws(HistoryError) in
                record.tags = remove ? record.tags.filter { !given.contains($0) } : try HistoryStore.cleanTags(record.tags + given)
            }
        }
    }
}

struct HistoryTitleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "title", abstract: "Give a run a title (an empty one removes it).")

    @OptionGroup var historyOptions: HistoryOptions

    @Argument(help: "The run's id, or a prefix only it has.")
    var id: String

    @Argument(help: "The title.")
    var title: String

    func run() throws {
        let store = historyOptions.store
        try reportingHistoryErrors { try store.setTitle(title, id: try store.resolve(id)) }
    }
}
