import ArgumentParser
import Foundation
import GPT2
import Playground

/// `history bench`: times listing and searching a large history, in a scratch folder filled with
/// made-up runs of the default shape (3 sequences of 100 tokens).
struct HistoryBenchCommand: ParsableCommand, AsynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time listing and searching a history of many runs (in a scratch folder).",
        discussion: """
            Fills a temporary folder with --runs made-up runs (3 sequences of 100 tokens each), then \
            times: listing with no index (every file read, the index written), listing again (from \
            the index; the best of 5), listing after one new run, a two-word search, typing a word \
            into the search letter by letter, and saving a run (written, fsync'd and renamed). \
            The folder is removed afterwards.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Option(help: "How many runs the history holds.")
    var runs = 10_000

    @Option(help: "Output: table or json.")
    var format: Format = .table

    func validate() throws {
        guard (1...1_000_000).contains(runs) else { throw ValidationError("--runs must be between 1 and 1000000, got \(runs)") }
    }

    struct Figures: Encodable {
        var runs: Int
        var folder_megabytes: Double
        var cold_list_ms: Double
        var warm_list_ms: Double
        var list_after_new_run_ms: Double
        var search_ms: Double
        var typing_search_ms: Double
        var save_ms: Double
    }

    func runAsynchronously() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-tui-history-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let store = HistoryStore(folder: scratch.appendingPathComponent("history"))
        var random = RandomSource(seed: 2026)
        var bytes = 0
        try reportingHistoryErrors { try store.save(Self.run(0, using: &random)) }
        for i in 1..<runs {
            let record = Self.run(i, using: &random)
            let contents = record.fileContents
            bytes += contents.count
            // Written plainly: filling the folder is not what is measured.
            do {
                try contents.write(to: store.fileURL(id: record.id))
            } catch {
                throw CommandLineFailure.runtime("cannot write \(store.fileURL(id: record.id).path): \(error.localizedDescription)")
            }
        }
        let clock = ContinuousClock()
        func time(_ body: () throws -> Void) rethrows -> Double {
            let start = clock.now
            try body()
            return (clock.now - start).seconds * 1000
        }
        let cold = try time { _ = try reportingHistoryErrors { try store.catalog() } }
        var warm = Double.infinity
        var catalog = try reportingHistoryErrors { try store.catalog() }
        for _ in 0..<5 {
            warm = min(warm, try time { catalog = try reportingHistoryErrors { try store.catalog() } })
        }
        let newRun = Self.run(runs, using: &random)
        let save = try time { _ = try reportingHistoryErrors { try store.save(newRun) } }
        let afterNewRun = try time { catalog = try reportingHistoryErrors { try store.catalog() } }
        var found = 0
        let search = time { found = catalog.search("gentle verona").count }
        let typing = time {
            var search = HistorySearch(catalog: catalog)
            for end in 1...7 { search.update(query: String("montague".prefix(end)), in: catalog) }
        }
        let figures = Figures(
            runs: catalog.entries.count, folder_megabytes: Double(bytes) / 1_000_000, cold_list_ms: cold, warm_list_ms: warm,
            list_after_new_run_ms: afterNewRun, search_ms: search, typing_search_ms: typing, save_ms: save)
        switch format {
        case .json:
            print(try JSONText.encode(figures))
        case .table:
            print("""
                runs                      \(figures.runs) (\(String(format: "%.1f", figures.folder_megabytes)) MB of JSON)
                list, no index (cold)     \(String(format: "%.0f", cold)) ms
                list from the index       \(String(format: "%.1f", warm)) ms
                list after one new run    \(String(format: "%.1f", afterNewRun)) ms
                search "gentle verona"    \(String(format: "%.1f", search)) ms (\(found) runs)
                typing "montague", 7 keys \(String(format: "%.1f", typing)) ms in all
                save one run (fsync)      \(String(format: "%.1f", save)) ms
                """)
        }
    }

    private static let words = [
        "the", "and", "thou", "thy", "love", "night", "fair", "sweet", "gentle", "Verona", "Montague", "Capulet",
        "sword", "moon", "heaven", "death", "light", "lady", "lord", "hath", "doth", "what", "shall", "Romeo",
        "Juliet", "friar", "nurse", "banished", "morrow", "tomorrow", "kiss", "name", "rose", "star", "fortune",
        "I", "you", "my", "me", "not", "is", "to", "of", "a", "in", "that", "with", "for", "but", "be",
    ]

    private static func text(words count: Int, using random: inout RandomSource) -> String {
        (0..<count).map { i in
            let word = words[Int(random.next() % UInt64(words.count))]
            return i > 0 && random.next() % 12 == 0 ? word + ",\n" : word
        }.joined(separator: " ")
    }

    /// A made-up run of the default shape, one minute after the previous one.
    private static func run(_ index: Int, using random: inout RandomSource) -> HistoryRecord {
        var parameters = GenerationParameters()
        parameters.mode = DecodingMode.allCases[index % DecodingMode.allCases.count]
        parameters.seed = index % 2 == 0 ? UInt64(index) : nil
        let sequences = (0..<parameters.numReturnSequences).map { _ in
            HistorySequence(
                text: text(words: 75, using: &random),
                tokenIDs: (0..<100).map { _ in Int32(random.next() % 50257) },
                logprobs: (0..<100).map { _ in -Float(random.nextUnitInterval() * 8) },
                meanLogprob: -4, score: -4, finishReason: .length, tokensPerSecond: 200)
        }
        let created = Date(timeIntervalSince1970: 1_780_000_000 + Double(index) * 60)
        return HistoryRecord(
            id: HistoryID.make(at: created, using: &random), createdAt: created,
            title: index % 10 == 0 ? text(words: 4, using: &random) : "", tags: index % 7 == 0 ? ["keep"] : [],
            starred: index % 20 == 0,
            model: HistoryModel(name: "gpt2", file: "/models/gpt2/gpt2-q8_0.gguf", sha256: String(repeating: "5", count: 64), precision: "int8"),
            prompt: text(words: 5 + Int(random.next() % 55), using: &random), promptTokenIDs: (0..<20).map(Int32.init),
            droppedPromptTokens: 0, parameters: parameters, seed: UInt64(index),
            sequences: sequences, timing: HistoryTiming(prefillMilliseconds: 20, decodeMilliseconds: 1500, generatedTokens: 300))
    }
}
