import Foundation
import GPT2
import Synchronization
import Testing
@testable import Playground

@Suite struct HistoryStoreTests {
    @Test func savedRunsAreListedNewestFirstInAUserOnlyFolder() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        #expect(try store.catalog().entries.isEmpty)  // no folder yet: an empty history, nothing created
        #expect(!FileManager.default.fileExists(atPath: store.folder.path))
        let base = Date(timeIntervalSince1970: 1_790_000_000)
        let records = (0..<5).map { HistorySamples.record(prompt: "prompt \($0)", createdAt: base.addingTimeInterval(Double($0 * 7 % 5))) }
        for record in records { try store.save(record) }
        let catalog = try store.catalog()
        #expect(catalog.runs.map(\.createdAt) == records.map(\.createdAt).sorted(by: >))
        #expect(catalog.unreadable.isEmpty)
        #expect(scratch.recordFileNames() == records.map { $0.id + ".json" }.sorted())
        #expect(try store.record(id: records[3].id) == records[3])
        let attributes = try FileManager.default.attributesOfItem(atPath: store.folder.path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o700)
        let file = try FileManager.default.attributesOfItem(atPath: store.fileURL(id: records[0].id).path)
        #expect((file[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)
    }

    @Test func idsResolveFromAUniquePrefix() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        let first = try store.save(HistorySamples.record(createdAt: Date(timeIntervalSince1970: 1_790_000_000)))
        let second = try store.save(HistorySamples.record(createdAt: Date(timeIntervalSince1970: 1_790_000_500)))
        try scratch.writeFile("shared by a friend.json", Data("{".utf8))
        #expect(try store.resolve(first.id) == first.id)
        #expect(try store.resolve(String(second.id.prefix(12))) == second.id)
        #expect(try store.resolve("shared") == "shared by a friend")
        #expect(throws: HistoryError.ambiguousID("2026", matches: [first.id, second.id])) { try store.resolve("2026") }
        #expect(throws: HistoryError.unknownID("1999", folder: store.folder.path)) { try store.resolve("1999") }
        #expect(throws: HistoryError.unknownID("", folder: store.folder.path)) { try store.resolve("") }
        #expect(throws: HistoryError.unknownID("../x", folder: store.folder.path)) { try store.record(id: "../x") }
        #expect(throws: HistoryError.unknownID("../data", folder: store.folder.path)) { try store.moveToTrash(id: "../data") }
        #expect(HistoryError.ambiguousID("2", matches: ["2a", "2b", "2c", "2d", "2e"]).description
            == "id 2 is ambiguous: 5 runs start with it (2a, 2b, 2c, …); give more of it")
    }

    @Test func starTagAndTitleRewriteTheFileByRename() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        let record = try store.save(HistorySamples.record(title: "", tags: [], starred: false))
        let url = store.fileURL(id: record.id)
        let inode = try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? UInt64
        try store.setStarred(true, id: record.id)
        try store.setTitle("The good one", id: record.id)
        try store.setTags(["  verse ", "keep", "verse"], id: record.id)
        let updated = try store.record(id: record.id)
        #expect(updated.starred && updated.title == "The good one" && updated.tags == ["verse", "keep"])
        var expected = record
        expected.starred = true
        expected.title = "The good one"
        expected.tags = ["verse", "keep"]
        #expect(updated == expected)
        #expect(try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? UInt64 != inode)
        #expect(scratch.allFileNames().allSatisfy { !$0.hasSuffix(".tmp") })
        let summary = try #require(try store.catalog().runs.first)
        #expect(summary.starred && summary.title == "The good one" && summary.tags == ["verse", "keep"])
        #expect(throws: HistoryError.invalidValue(field: "tag", reason: "a tag cannot be empty")) {
            try store.setTags(["ok", " "], id: record.id)
        }
        #expect(throws: HistoryError.unknownID("nope", folder: store.folder.path)) { try store.setStarred(true, id: "nope") }
    }

    @Test func deletingMovesTheFileToTheTrashUnchanged() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        let record = try store.save(HistorySamples.record())
        let bytes = try Data(contentsOf: store.fileURL(id: record.id))
        let trashed = try store.moveToTrash(id: record.id)
        #expect(trashed == store.trashFolder.appendingPathComponent(record.id + ".json"))
        #expect(try Data(contentsOf: trashed) == bytes)
        #expect(try store.catalog().entries.isEmpty)
        #expect(throws: HistoryError.unknownID(record.id, folder: store.folder.path)) { try store.moveToTrash(id: record.id) }
        // The same id deleted again (a file put back by hand) does not replace the first.
        try bytes.write(to: store.fileURL(id: record.id))
        #expect(try store.moveToTrash(id: record.id).lastPathComponent == record.id + ".2.json")
        let attributes = try FileManager.default.attributesOfItem(atPath: store.trashFolder.path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o700)
    }

    /// A writer that died between writing its temporary file and renaming it leaves the old
    /// record and a hidden temporary file: listing ignores it, and a later save removes it once
    /// it is old enough not to be another writer's file in progress.
    @Test func aCrashBeforeTheRenameLeavesTheOldFileAndAnIgnoredTemporaryFile() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        let record = try store.save(HistorySamples.record(title: "old"))
        let old = try Data(contentsOf: store.fileURL(id: record.id))
        var changed = record
        changed.title = "new"
        let half = changed.fileContents.prefix(changed.fileContents.count / 2)
        let leftover = try scratch.writeFile(".\(record.id).json.\(UUID().uuidString).tmp", Data(half))
        let inProgress = try scratch.writeFile(".\(record.id).json.\(UUID().uuidString).tmp", Data(half))
        let hourAgo = Date().addingTimeInterval(-HistoryStore.temporaryFileLifetime - 60)
        try FileManager.default.setAttributes([.modificationDate: hourAgo], ofItemAtPath: leftover.path)

        let catalog = try store.catalog()
        #expect(catalog.entries.map(\.id) == [record.id] && catalog.unreadable.isEmpty)
        #expect(try store.record(id: record.id).title == "old")
        #expect(try Data(contentsOf: store.fileURL(id: record.id)) == old)
        #expect(try store.resolve(String(record.id.prefix(10))) == record.id)

        try store.save(HistorySamples.record(createdAt: Date(timeIntervalSince1970: 1_800_000_000)))
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(FileManager.default.fileExists(atPath: inProgress.path))
        #expect(try store.catalog().entries.count == 2)
    }

    @Test func twoSavesOfTheSameNameKeepBothRuns() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        let record = HistorySamples.record()
        var other = record
        other.prompt = "another run, same name"
        let first = try store.save(record)
        let second = try store.save(other)
        #expect(first.id == record.id && second.id != record.id)
        #expect(second.id.prefix(20) == record.id.prefix(20))
        #expect(try store.record(id: first.id).prompt == record.prompt)
        #expect(try store.record(id: second.id).prompt == "another run, same name")
    }

    @Test func manyWritersAtOnceKeepEveryFileWhole() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        let moment = Date(timeIntervalSince1970: 1_790_000_000)
        let writers = 8, runsEach = 25
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            for run in 0..<runsEach {
                // All in the same millisecond, half of them with the very same id.
                var record = HistorySamples.record(prompt: "writer \(writer) run \(run)", createdAt: moment)
                if run % 2 == 0 { record.id = "20260921T141320.000Z-00000000" }
                do {
                    try store.save(record)
                    if run % 5 == 0 { try store.setStarred(run % 10 == 0, id: record.id) }
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let catalog = try store.catalog()
        #expect(catalog.unreadable.isEmpty)
        #expect(catalog.runs.count == writers * runsEach)
        let prompts = try catalog.runs.map { try store.record(id: $0.id).prompt }
        #expect(Set(prompts).count == writers * runsEach)
        #expect(scratch.allFileNames().allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func damagedAndNewerFilesAreListedWithTheReasonAndKeptByteForByte() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let store = scratch.store
        let good = try store.save(HistorySamples.record())
        let full = HistorySamples.record().fileContents
        var newer = try #require(try JSONSerialization.jsonObject(with: full) as? [String: Any])
        newer["schema_version"] = 2
        newer["a_field_of_tomorrow"] = ["x": 1]
        var badParameter = try #require(try JSONSerialization.jsonObject(with: full) as? [String: Any])
        var parameters = try #require(badParameter["parameters"] as? [String: Any])
        parameters["top_p"] = 1.5
        badParameter["parameters"] = parameters
        var badType = try #require(try JSONSerialization.jsonObject(with: full) as? [String: Any])
        badType["seed"] = "forty-two"
        var badMode = try #require(try JSONSerialization.jsonObject(with: full) as? [String: Any])
        var modeParameters = try #require(badMode["parameters"] as? [String: Any])
        modeParameters["mode"] = "fastest"
        badMode["parameters"] = modeParameters
        var badReason = try #require(try JSONSerialization.jsonObject(with: full) as? [String: Any])
        var reasonSequences = try #require(badReason["sequences"] as? [[String: Any]])
        reasonSequences[1]["finish_reason"] = "tired"
        badReason["sequences"] = reasonSequences
        var missing = try #require(try JSONSerialization.jsonObject(with: full) as? [String: Any])
        var sequences = try #require(missing["sequences"] as? [[String: Any]])
        sequences[0]["token_ids"] = nil
        missing["sequences"] = sequences
        let files: [(String, Data, String)] = [
            ("20200101T000000.000Z-truncated", full.prefix(full.count * 2 / 3), "not valid JSON (it ends early: truncated?)"),
            ("20200101T000001.000Z-empty", Data(), "the file is empty"),
            ("20200101T000002.000Z-notjson", Data("hello, world}".utf8), "not valid JSON"),
            ("20200101T000003.000Z-array", Data("[1, 2]".utf8), "not a JSON object"),
            ("20200101T000004.000Z-newer", try JSONSerialization.data(withJSONObject: newer),
             "it has schema_version 2, from a newer gpt2-tui (this one reads up to 1)"),
            ("20200101T000005.000Z-badparameter", try JSONSerialization.data(withJSONObject: badParameter),
             "parameters: invalid top_p: must be in (0, 1], got 1.5"),
            ("20200101T000006.000Z-badtype", try JSONSerialization.data(withJSONObject: badType), "seed is not an integer"),
            ("20200101T000007.000Z-missing", try JSONSerialization.data(withJSONObject: missing), "missing sequences[0].token_ids"),
            ("20200101T000008.000Z-noversion", Data("{\"id\": \"x\"}".utf8), "missing schema_version"),
            ("20200101T000009.000Z-badmode", try JSONSerialization.data(withJSONObject: badMode), "parameters.mode: unknown mode \"fastest\""),
            ("20200101T000010.000Z-badreason", try JSONSerialization.data(withJSONObject: badReason),
             "sequences[1].finish_reason: unknown finish reason \"tired\""),
        ]
        for (id, bytes, _) in files { try scratch.writeFile(id + ".json", bytes) }

        let catalog = try store.catalog()
        #expect(catalog.runs.map(\.id) == [good.id])
        let reasons = Dictionary(uniqueKeysWithValues: catalog.unreadable.map { ($0.id, $0.reason) })
        for (id, _, reason) in files {
            #expect(reasons[id] == reason, "\(id)")
            #expect(throws: HistoryError.unreadable(id: id, reason: reason)) { try store.record(id: id) }
            #expect(throws: HistoryError.unreadable(id: id, reason: reason)) { try store.setStarred(true, id: id) }
        }
        // Unreadable files sort by the time in their names, after the newer good run.
        #expect(catalog.entries.map(\.id) == [good.id] + files.map(\.0).reversed())
        // Listing again (from the index), saving, updating others: the files never change.
        _ = try store.catalog()
        try store.save(HistorySamples.record(createdAt: Date(timeIntervalSince1970: 1_600_000_000)))
        try store.setTitle("still fine", id: good.id)
        for (id, bytes, _) in files {
            #expect(try Data(contentsOf: store.fileURL(id: id)) == bytes, "\(id)")
        }
        #expect(try store.catalog().unreadable.count == files.count)
        #expect(try store.fileContents(id: files[4].0) == files[4].1)
        // A damaged file can still be moved to the trash, bytes intact.
        let trashed = try store.moveToTrash(id: files[0].0)
        #expect(try Data(contentsOf: trashed) == files[0].1)
    }

    /// A "version 0" shape, as a future schema change would leave older files: the parameters
    /// at the top level and the seed under another name. A migration step reads it in memory;
    /// the file stays as it was.
    @Test func olderSchemasAreMigratedInMemoryAndTheFileIsLeftAlone() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let record = HistorySamples.record()
        var object = try #require(try JSONSerialization.jsonObject(with: record.fileContents) as? [String: Any])
        let parameters = try #require(object.removeValue(forKey: "parameters") as? [String: Any])
        for (key, value) in parameters where key != "seed" { object[key] = value }
        object["requested_seed"] = parameters["seed"]
        object["seed_used"] = object.removeValue(forKey: "seed")
        object["schema_version"] = 0
        let versionZero = try JSONSerialization.data(withJSONObject: object)
        try scratch.writeFile(record.id + ".json", versionZero)

        #expect(throws: HistoryError.unreadable(id: record.id, reason: "schema_version 0 is not supported (this gpt2-tui reads 1 to 1)")) {
            try scratch.store.record(id: record.id)
        }
        let schema = HistorySchema(upgrades: [0: { object in
            var parameters: [String: Any] = [:]
            for key in GenerationRequest.keys.subtracting(["input", "max_new_tokens", "seed"]) {
                parameters[key] = object.removeValue(forKey: key)
            }
            parameters["seed"] = object.removeValue(forKey: "requested_seed")
            object["parameters"] = parameters
            object["seed"] = object.removeValue(forKey: "seed_used")
        }])
        let store = HistoryStore(folder: scratch.historyFolder, schema: schema)
        let migrated = try store.record(id: record.id)
        #expect(migrated.parameters == record.parameters && migrated.seed == record.seed && migrated.prompt == record.prompt)
        #expect(migrated.sequences.count == record.sequences.count && migrated.sequences[0].text == record.sequences[0].text)
        #expect(try store.catalog().runs.map(\.id) == [record.id])
        #expect(try Data(contentsOf: store.fileURL(id: record.id)) == versionZero)
        // A user's edit writes the record in the current schema.
        try store.setStarred(false, id: record.id)
        #expect(try scratch.store.record(id: record.id).starred == false)
    }
}
