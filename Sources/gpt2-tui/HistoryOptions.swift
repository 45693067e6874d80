import ArgumentParser
import Foundation
import Playground

/// `--history-dir`: which history folder a command reads or writes.
struct HistoryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The history folder (default: $GPT2_TUI_HISTORY, else $XDG_DATA_HOME/gpt2-tui/history, else ~/.local/share/gpt2-tui/history).",
        valueName: "dir"))
    var historyDir: String?

    var store: HistoryStore {
        let environment = ProcessInfo.processInfo.environment
        let folder = historyDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? HistoryLocation.historyFolder(environment: environment)
        return HistoryStore(folder: folder)
    }

    /// The weights digests' cache, beside the user's other caches.
    var digests: WeightsDigestCache {
        WeightsDigestCache(folder: HistoryLocation.cacheFolder(environment: ProcessInfo.processInfo.environment))
    }

    /// The run whose id is `id` or starts with it.
    func record(matching id: String) throws -> HistoryRecord {
        try reportingHistoryErrors {
            let store = self.store
            return try store.record(id: try store.resolve(id))
        }
    }
}

/// Runs `body`, turning a history error into the one-line failure of the command line.
@discardableResult
func reportingHistoryErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as HistoryError {
        throw CommandLineFailure(error)
    }
}

extension CommandLineFailure {
    /// Usage errors are what the user typed (an ambiguous id, an empty tag); the rest are the
    /// files' state.
    init(_ error: HistoryError) {
        switch error {
        case .ambiguousID, .invalidValue:
            self = .usage(error.description)
        case .unknownID, .unreadable, .unwritable, .folderUnreadable, .fileUnreadable:
            self = .runtime(error.description)
        }
    }
}
