import ArgumentParser

struct GPT2TUI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpt2-tui",
        abstract: "A terminal playground for GPT-2, with its own engine.",
        subcommands: [PlaygroundCommand.self, GenerateCommand.self, BenchCommand.self, TokenizeCommand.self, DetokenizeCommand.self, QuantizeCommand.self, ModelsCommand.self, DownloadCommand.self, HistoryCommand.self],
        defaultSubcommand: PlaygroundCommand.self
    )
}
