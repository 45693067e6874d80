import ArgumentParser
import Foundation
import Playground

struct HistoryShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print a run's file as it is stored (JSON).")

    @OptionGroup var historyOptions: HistoryOptions

    @Argument(help: "The run's id, or a prefix only it has.")
    var id: String

    func run() throws {
        let record = try historyOptions.record(matching: id)
        let bytes = try reportingHistoryErrors { try historyOptions.store.fileContents(id: record.id) }
        FileHandle.standardOutput.write(bytes)
    }
}

struct HistoryExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print a run as Markdown (to share or paste) or as JSON in the current schema.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, json
    }

    @OptionGroup var historyOptions: HistoryOptions

    @Argument(help: "The run's id, or a prefix only it has.")
    var id: String

    @Option(help: "md or json.")
    var format: Format = .md

    func run() throws {
        let record = try historyOptions.record(matching: id)
        switch format {
        case .md: FileHandle.standardOutput.write(Data(HistoryMarkdown.document(record).utf8))
        case .json: FileHandle.standardOutput.write(record.fileContents)
        }
    }
}
