import Foundation
import GPT2
import Testing
@testable import Playground

@Suite struct HistoryIndexTests {
    static func fill(_ store: HistoryStore, count: Int) throws -> [HistoryRecord] {
        try (0..<count).map { i in
            try store.save(HistorySamples.record(prompt: "prompt number \(i)", createdAt: Date(timeIntervalSince1970: 1_790_000_000 + Double(i)),
                                                 outputs: ["output \(i) " + (i % 3 == 0 ? "Verona" : "Padua")], title: "", tags: [], starred: false))
        }
    }

    @Test func theIndexIsWrittenOnFirstListingAndServesTheNext() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        let records = try Self.fill(store, count: 6)
        let indexURL = store.folder.appendingPathComponent(HistoryIndex.fileName)
        #expect(!FileManager.default.fileExists(atPath: indexURL.path))
        let cold = try store.catalog()
        #expect(FileManager.default.fileExists(atPath: indexURL.path))
        #expect(cold.runs.map(\.id) == records.map(\.id).reversed())

        // Served from the index: a summary planted in it (same file stamps) is what lists.
        var indexed = try #require(HistoryIndex.decode(Array(try Data(contentsOf: indexURL))))
        let name = records[2].id + ".json"
        var planted = try #require(indexed[name])
        guard case .run(var summary) = planted.entry else { Issue.record("not a run"); return }
        summary.title = "from the index"
        planted.entry = .run(summary)
        indexed[name] = planted
        try Data(HistoryIndex.encode(Array(indexed.values))).write(to: indexURL)
        let warm = try store.catalog()
        #expect(warm.runs.first { $0.id == records[2].id }?.title == "from the index")
        #expect(warm.runs.filter { $0.id != records[2].id } == cold.runs.filter { $0.id != records[2].id })
    }

    @Test func changesMadeBehindTheIndexShowOnTheNextListing() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        let records = try Self.fill(store, count: 5)
        _ = try store.catalog()
        // Another program edits one file, removes one, adds one, and damages one.
        var edited = records[0]
        edited.title = "edited elsewhere"
        try edited.fileContents.write(to: store.fileURL(id: edited.id))
        try FileManager.default.removeItem(at: store.fileURL(id: records[1].id))
        let added = HistorySamples.record(prompt: "added", createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        try added.fileContents.write(to: store.fileURL(id: added.id))
        try Data("{\"schema_version\": 1".utf8).write(to: store.fileURL(id: records[4].id))

        let catalog = try store.catalog()
        #expect(catalog.runs.map(\.id) == [records[3].id, records[2].id, records[0].id, added.id])
        #expect(catalog.runs.first { $0.id == records[0].id }?.title == "edited elsewhere")
        #expect(catalog.unreadable.map(\.id) == [records[4].id])
        // The rewritten index gives the same list.
        let again = try store.catalog()
        #expect(again.entries == catalog.entries)
    }

    @Test func aDamagedIndexIsRebuilt() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        let records = try Self.fill(store, count: 4)
        let reference = try store.catalog().entries
        let indexURL = store.folder.appendingPathComponent(HistoryIndex.fileName)
        let index = try Data(contentsOf: indexURL)
        for damaged in [Data(), index.prefix(index.count - 3), Data("nonsense".utf8), index + Data([0])] {
            try damaged.write(to: indexURL)
            #expect(try store.catalog().entries == reference)
            #expect(HistoryIndex.decode(Array(try Data(contentsOf: indexURL))) != nil)
        }
        #expect(reference.count == records.count)
    }

    @Test func searchFindsEveryWordInPromptsOutputsTitlesAndTags() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        let records = try Self.fill(store, count: 9)
        try store.setTitle("Balcony SCENE", id: records[4].id)
        try store.setTags(["keeper"], id: records[5].id)
        try scratch.writeFile("20200101T000000.000Z-broken.json", Data("{".utf8))
        let catalog = try store.catalog()
        func ids(_ query: String) -> [String] { catalog.search(query).map(\.id) }
        #expect(ids("verona").count == 3)
        #expect(ids("VERONA output") == ids("verona"))
        #expect(ids("verona 6") == [records[6].id])
        #expect(ids("number 7") == [records[7].id])
        #expect(ids("balcony scene") == [records[4].id])
        #expect(ids("keeper") == [records[5].id])
        #expect(ids("tiny-a").count == 9)
        #expect(ids("Milan").isEmpty)
        #expect(ids("  ").count == 10)  // everything, the unreadable file included
        #expect(catalog.search("").last == .unreadable(UnreadableHistoryFile(id: "20200101T000000.000Z-broken", reason: "not valid JSON (it ends early: truncated?)")))
    }

    @Test func typingNarrowsTheSearchToTheSameResultAsAFullSearch() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        _ = try Self.fill(store, count: 12)
        let catalog = try store.catalog()
        var search = HistorySearch(catalog: catalog)
        #expect(search.matches.count == 12)
        for query in ["p", "pa", "pad", "padu", "padua", "padua ", "padua 1", "padua 11", "padua 1", "v", "ve", ""] {
            search.update(query: query, in: catalog)
            #expect(search.matches == catalog.matches(query), "\(query)")
        }
    }
}
