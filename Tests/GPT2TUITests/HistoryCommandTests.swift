import Foundation
import GPT2
import Synchronization
import Testing

/// `generate` saving runs and replaying them, and `gpt2-tui history`, run as a user runs them,
/// on a history folder of the test's own.
@Suite struct HistoryCommandTests {
    struct Setup {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-tui-history-\(UUID().uuidString)")
        var history: URL { scratch.appendingPathComponent("history") }

        init() throws {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        }

        func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) throws -> CommandLineTests.Outcome {
            try CommandLineTests.run(arguments, stdin: stdin, environment: ["GPT2_TUI_HISTORY": history.path].merging(environment) { $1 })
        }

        func generate(_ extra: [String] = []) throws -> CommandLineTests.Outcome {
            try run(["generate", "--model", CommandLineTests.model, "--input", "ROMEO:", "--max-length", "12",
                     "--num-return-sequences", "2", "--format", "json"] + extra)
        }

        func recordFiles() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: history.path)) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        }

        func record(_ name: String) throws -> [String: Any] {
            let data = try Data(contentsOf: history.appendingPathComponent(name))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }

        /// `history list --json`, newest first.
        func listed() throws -> [[String: Any]] {
            let outcome = try run(["history", "list", "--json"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        }

        func remove() {
            try? FileManager.default.removeItem(at: scratch)
        }
    }

    @Test func everyGenerateIsSavedUnlessNoHistory() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let outcome = try setup.generate(["--seed", "5"])
        #expect(outcome.status == 0 && outcome.stderr.isEmpty, "\(outcome.stderr)")
        let files = setup.recordFiles()
        #expect(files.count == 1)
        let record = try setup.record(try #require(files.first))
        #expect(record["schema_version"] as? Int == 1)
        #expect(record["prompt"] as? String == "ROMEO:")
        #expect(record["seed"] as? Int == 5)
        let weights = URL(fileURLWithPath: CommandLineTests.model).appendingPathComponent("model.safetensors")
        let model = record["model"] as? [String: String]
        #expect(model == ["name": "tiny-a", "file": weights.path, "sha256": SHA256.hex(try Data(contentsOf: weights)), "precision": "int8"])
        let texts = try JSONDecoder().decode([String].self, from: Data(outcome.stdout.utf8))
        let sequences = try #require(record["sequences"] as? [[String: Any]])
        #expect(sequences.map { "ROMEO:" + ($0["text"] as? String ?? "") } == texts)

        #expect(try setup.generate(["--no-history"]).status == 0)
        #expect(setup.recordFiles().count == 1)
        let elsewhere = setup.scratch.appendingPathComponent("elsewhere")
        #expect(try setup.generate(["--history-dir", elsewhere.path]).status == 0)
        #expect(setup.recordFiles().count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).filter { $0.hasSuffix(".json") }.count == 1)
    }

    @Test func fromHistoryReplaysARunWithItsSeedAndFlagsOverride() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let first = try setup.generate(["--temperature", "1.2", "--top-p", "0.8"])  // a random seed
        #expect(first.status == 0)
        let id = try #require(try setup.listed().first?["id"] as? String)
        let replay = try setup.run(["generate", "--model", CommandLineTests.model, "--from-history", String(id.prefix(22)), "--format", "json"])
        #expect(replay.status == 0 && replay.stderr.isEmpty, "\(replay.stderr)")
        #expect(replay.stdout == first.stdout)
        let records = try setup.recordFiles().map(setup.record)
        #expect(records.count == 2)
        // The first run asked for no seed; the replay asked for the one it used.
        #expect((records[0]["parameters"] as? [String: Any])?["seed"] is NSNull)
        #expect((records[1]["parameters"] as? [String: Any])?["seed"] as? Int == records[0]["seed"] as? Int)
        #expect(records[1]["seed"] as? Int == records[0]["seed"] as? Int)

        let shorter = try setup.run(["generate", "--model", CommandLineTests.model, "--from-history", id, "--max-length", "3",
                                     "--num-return-sequences", "1", "--format", "full", "--no-history"])
        let object = try JSONSerialization.jsonObject(with: Data(shorter.stdout.utf8)) as? [String: Any]
        let sequences = object?["sequences"] as? [[String: Any]]
        #expect((sequences?.first?["token_ids"] as? [Int])?.count == 3 && sequences?.count == 1)
        #expect(object?["seed"] as? Int == records[0]["seed"] as? Int)

        let otherModel = CommandLineTests.fixtures.appendingPathComponent("models/tiny-b").path
        let elsewhere = try setup.run(["generate", "--model", otherModel, "--from-history", id, "--no-history"])
        #expect(elsewhere.status == 0)
        #expect(elsewhere.stderr == "gpt2-tui: note: run \(id) was made with model tiny-a (sha256 \(String(((records[0]["model"] as? [String: String])?["sha256"] ?? "").prefix(12)))…), not this one, so its text may differ\n")
    }

    @Test func listShowsRunsNewestFirstWithUnreadableFiles() throws {
        let setup = try Setup()
        defer { setup.remove() }
        #expect(try setup.run(["history", "list"]).stdout.isEmpty)
        #expect(try setup.generate(["--mode", "greedy"]).status == 0)
        #expect(try setup.generate(["--mode", "beam", "--num-beams", "3"]).status == 0)
        try Data("{\"schema_version\": 1, ".utf8).write(to: setup.history.appendingPathComponent("20200101T000000.000Z-broken.json"))
        let lines = try setup.run(["history", "list"], environment: ["TZ": "UTC"]).stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].contains("tiny-a  beam") && lines[1].contains("tiny-a  greedy"))
        #expect(lines[0].hasSuffix("ROMEO:"))
        #expect(lines[2] == "20200101T000000.000Z-broken    unreadable: not valid JSON (it ends early: truncated?)")
        let listed = try setup.listed()
        #expect(listed.map { $0["mode"] as? String } == ["beam", "greedy", nil])
        #expect(listed[2]["unreadable"] as? String == "not valid JSON (it ends early: truncated?)")
        #expect(listed[0]["sequences"] as? Int == 2 && listed[0]["prompt"] as? String == "ROMEO:")
        let limited = try setup.run(["history", "list", "--limit", "1"]).stdout.split(separator: "\n")
        #expect(limited == [lines[0]])
        #expect(try setup.run(["history", "list", "--search", "beam"]).stdout.isEmpty)  // modes are not searched, words are
        #expect(try setup.run(["history", "list", "--search", "romeo TINY-A"]).stdout.split(separator: "\n").count == 2)
    }

    @Test func showExportStarTagTitleAndRemove() throws {
        let setup = try Setup()
        defer { setup.remove() }
        #expect(try setup.generate(["--seed", "9"]).status == 0)
        let name = try #require(setup.recordFiles().first)
        let id = String(name.dropLast(5))
        let stored = try Data(contentsOf: setup.history.appendingPathComponent(name))
        let show = try setup.run(["history", "show", String(id.prefix(8))])
        #expect(show.status == 0 && Data(show.stdout.utf8) == stored)
        let json = try setup.run(["history", "export", id, "--format", "json"])
        #expect(Data(json.stdout.utf8) == stored)
        let markdown = try setup.run(["history", "export", id])
        #expect(markdown.status == 0 && markdown.stdout.hasPrefix("# ROMEO:\n") && markdown.stdout.contains("| seed | 9 |"))

        for arguments in [["star", id], ["tag", id, "keep", "verse"], ["tag", id, "verse", "--remove"], ["title", id, "The one"]] {
            let outcome = try setup.run(["history"] + arguments)
            #expect(outcome.status == 0 && outcome.stdout.isEmpty && outcome.stderr.isEmpty, "\(arguments): \(outcome.stderr)")
        }
        let record = try setup.record(name)
        #expect(record["starred"] as? Bool == true && record["tags"] as? [String] == ["keep"] && record["title"] as? String == "The one")
        #expect(try setup.run(["history", "list", "--starred"]).stdout.contains("*  tiny-a"))
        #expect(try setup.run(["history", "star", id, "--off"]).status == 0)
        #expect(try setup.run(["history", "list", "--starred"]).stdout.isEmpty)

        let before = try Data(contentsOf: setup.history.appendingPathComponent(name))
        let removed = try setup.run(["history", "rm", id])
        let trashed = setup.history.appendingPathComponent("trash/\(name)")
        #expect(removed.status == 0 && removed.stdout == "moved to \(trashed.path)\n")
        #expect(try Data(contentsOf: trashed) == before)
        #expect(setup.recordFiles().isEmpty)
    }

    @Test func badIdsAndUnreadableFilesAreOneLineErrors() throws {
        let setup = try Setup()
        defer { setup.remove() }
        #expect(try setup.generate().status == 0)
        #expect(try setup.generate().status == 0)
        let future = Data("{\"schema_version\": 7, \"whatever\": true}".utf8)
        try future.write(to: setup.history.appendingPathComponent("future-run.json"))
        let model = CommandLineTests.model
        let cases: [([String], Int32, String)] = [
            (["history", "show", "nothing"], 1, "no run with id nothing in \(setup.history.path)"),
            (["history", "show", "2"], 2, "id 2 is ambiguous: 2 runs start with it"),
            (["history", "show", "future"], 1, "run future-run cannot be read: it has schema_version 7, from a newer gpt2-tui (this one reads up to 1)"),
            (["history", "export", "future"], 1, "schema_version 7"),
            (["history", "star", "future"], 1, "schema_version 7"),
            (["history", "rm", "nothing"], 1, "no run with id nothing"),
            (["history", "tag", "future", ""], 2, "a tag cannot be empty"),
            (["history", "export", "future", "--format", "html"], 2, "html"),
            (["history", "list", "--limit", "0"], 2, "--limit"),
            (["generate", "--model", model, "--from-history", "nothing"], 1, "no run with id nothing"),
            (["generate", "--model", model, "--from-history", "future"], 1, "schema_version 7"),
            (["generate", "--model", model, "--from-history", "2", "--request", "-"], 2, "not both"),
        ]
        for (arguments, status, mentions) in cases {
            let outcome = try setup.run(arguments)
            #expect(outcome.status == status, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1 && outcome.stderr.contains(mentions), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty, "\(arguments)")
        }
        #expect(try Data(contentsOf: setup.history.appendingPathComponent("future-run.json")) == future)
        #expect(setup.recordFiles().count == 3)
    }

    @Test func severalGeneratesAtOnceKeepEveryRun() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let statuses = Mutex([Int32]())
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let status = (try? setup.generate(["--seed", "\(i)"]).status) ?? -1
            statuses.withLock { $0.append(status) }
        }
        #expect(statuses.withLock { $0 } == [0, 0, 0, 0])
        let files = setup.recordFiles()
        #expect(files.count == 4)
        #expect(Set(try files.map { try setup.record($0)["seed"] as? Int }) == [0, 1, 2, 3])
    }

    @Test func aHistoryThatCannotBeWrittenIsAWarningNotAFailedRun() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let blocker = setup.scratch.appendingPathComponent("a-file")
        try Data().write(to: blocker)
        let outcome = try setup.generate(["--history-dir", blocker.appendingPathComponent("history").path, "--seed", "1"])
        #expect(outcome.status == 0)
        #expect(try JSONDecoder().decode([String].self, from: Data(outcome.stdout.utf8)).count == 2)
        #expect(outcome.stderr.hasPrefix("gpt2-tui: warning: the run was not saved to the history: "), "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }

    @Test func theBenchmarkTimesListingAndSearch() throws {
        let outcome = try CommandLineTests.run(["history", "bench", "--runs", "40", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        #expect(object?["runs"] as? Int == 41)
        for key in ["cold_list_ms", "warm_list_ms", "list_after_new_run_ms", "search_ms", "typing_search_ms", "save_ms"] {
            #expect((object?[key] as? Double).map { $0 >= 0 } == true, "\(key)")
        }
    }
}
