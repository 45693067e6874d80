import ArgumentParser

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List, show, export, tag and delete saved runs.",
        discussion: """
            Every run of `generate` (unless --no-history) is saved as one JSON file in the history \
            folder; `generate --from-history ID` runs one again. An ID may be shortened to any \
            prefix that only one run has.
            """,
        subcommands: [
            HistoryListCommand.self, HistoryShowCommand.self, HistoryExportCommand.self, HistoryRemoveCommand.self,
            HistoryStarCommand.self, HistoryTagCommand.self, HistoryTitleCommand.self, HistoryBenchCommand.self,
        ]
    )
}
