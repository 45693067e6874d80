import Foundation
import Testing

/// The real `gpt2-tui` binary, run as a user runs it.
@Suite struct CommandLineTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let model = fixtures.appendingPathComponent("models/tiny-a").path

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary sits beside the test bundle in the build folder.
    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gpt2-tui")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("gpt2-tui")
    }

    /// Where the binary keeps its history and caches in tests, so that no test writes into the
    /// user's home.
    static let sandbox = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-tui-cli-tests-\(UUID().uuidString)")

    /// Runs the binary; `environment` adds to (or, with an empty value, removes from) this process's.
    static func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["XDG_DATA_HOME"] = sandbox.appendingPathComponent("data").path
        merged["XDG_CACHE_HOME"] = sandbox.appendingPathComponent("cache").path
        merged["GPT2_TUI_HISTORY"] = nil
        for (key, value) in environment { merged[key] = value.isEmpty ? nil : value }
        process.environment = merged
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                       stderr: String(decoding: err, as: UTF8.self))
    }

    @Test func jsonFormatPrintsTheSeedsListOfStrings() throws {
        let outcome = try Self.run(["generate", "--model", Self.model, "--input", "ROMEO:", "--mode", "greedy",
                                    "--max-length", "12", "--num-return-sequences", "2", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let list = try JSONDecoder().decode([String].self, from: Data(outcome.stdout.utf8))
        #expect(list.count == 2)
        #expect(list.allSatisfy { $0.hasPrefix("ROMEO:") && $0.count > 6 })
    }

    @Test func fullFormatCarriesIdsLogprobsAndTimings() throws {
        let outcome = try Self.run(["generate", "--model", Self.model, "--input", "ROMEO:", "--mode", "beam",
                                    "--num-beams", "3", "--max-length", "8", "--num-return-sequences", "2", "--format", "full"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let sequences = object?["sequences"] as? [[String: Any]]
        #expect(sequences?.count == 2)
        #expect((sequences?.first?["token_ids"] as? [Int])?.isEmpty == false)
        #expect((sequences?.first?["logprobs"] as? [Double])?.isEmpty == false)
        #expect(sequences?.first?["score"] is Double)
        #expect((object?["prompt_token_ids"] as? [Int])?.isEmpty == false)
        let timing = object?["timing"] as? [String: Any]
        #expect(timing?["prefill_ms"] is Double && timing?["decode_ms"] is Double && timing?["decode_tokens_per_s"] is Double)
    }

    @Test func aRequestOnStdinWorksAndFlagsOverrideIt() throws {
        let request = #"{"input": "JULIET:", "max_length": 5, "mode": "greedy", "num_return_sequences": 1}"#
        let outcome = try Self.run(["generate", "--model", Self.model, "--request", "-", "--format", "full", "--max-length", "3"], stdin: request)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let sequences = object?["sequences"] as? [[String: Any]]
        #expect((sequences?.first?["token_ids"] as? [Int])?.count == 3)
    }

    @Test func sameSeedSameText() throws {
        let arguments = ["generate", "--model", Self.model, "--input", "ROMEO:", "--max-length", "20", "--seed", "42", "--format", "json"]
        let first = try Self.run(arguments)
        let second = try Self.run(arguments)
        #expect(first.status == 0 && first.stdout == second.stdout)
    }

    @Test func benchPrintsItsFiguresAsJSON() throws {
        let outcome = try Self.run(["bench", "--model", Self.model, "--prompt-tokens", "16", "--new-tokens", "8",
                                    "--sequences", "2", "--threads", "2", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        for key in ["prefill_tokens_per_s", "decode_tokens_per_s", "time_to_first_token_ms", "peak_rss_mb"] {
            #expect((object?[key] as? Double).map { $0 > 0 } == true, "\(key)")
        }
        #expect(object?["threads"] as? Int == 2)
        #expect(object?["sequences"] as? Int == 2)
    }

    @Test func pairedBenchReportsBothSpeedsAndTheirRatio() throws {
        let outcome = try Self.run(["bench", "--model", Self.model, "--prompt-tokens", "16", "--new-tokens", "8",
                                    "--sequences", "3", "--threads", "2", "--paired", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let paired = object?["paired"] as? [String: Any]
        let single = paired?["single_tokens_per_s"] as? Double, together = paired?["tokens_per_s"] as? Double
        #expect(single.map { $0 > 0 } == true && together.map { $0 > 0 } == true)
        if let single, let together, let ratio = paired?["ratio"] as? Double {
            #expect(abs(ratio - together / single) < 1e-9)
        }
        #expect(paired?["rounds"] as? Int == 3)
        let plain = try Self.run(["bench", "--model", Self.model, "--prompt-tokens", "16", "--new-tokens", "8", "--format", "json"])
        #expect(!plain.stdout.contains("paired"), "only with --paired")
    }

    @Test func bothEnginesGenerateFromTheSameFolder() throws {
        for precision in ["int8", "fp32"] {
            let outcome = try Self.run(["generate", "--model", Self.model, "--input", "ROMEO:", "--mode", "greedy",
                                        "--max-length", "8", "--num-return-sequences", "1", "--precision", precision])
            #expect(outcome.status == 0, "\(precision): \(outcome.stderr)")
            #expect(outcome.stdout.hasPrefix("ROMEO:"))
        }
    }

    @Test func streamingPrintsTheSameTextAsTheFinalOutput() throws {
        let common = ["generate", "--model", Self.model, "--input", "ROMEO:", "--max-length", "20", "--seed", "4"]
        let single = try Self.run(common + ["--num-return-sequences", "1", "--stream"])
        let final = try Self.run(common + ["--num-return-sequences", "1"])
        #expect(single.status == 0 && single.stdout == final.stdout, "\(single.stdout) vs \(final.stdout)")
        let several = try Self.run(common + ["--num-return-sequences", "2", "--stream"])
        let lines = several.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.allSatisfy { $0 != nil })
        let done = lines.compactMap { $0 }.last
        #expect(done?["event"] as? String == "done")
        let json = try Self.run(common + ["--num-return-sequences", "2", "--format", "json"])
        #expect((done?["texts"] as? [String]) == (try? JSONDecoder().decode([String].self, from: Data(json.stdout.utf8))))
    }

    @Test func tokenizeAndDetokenizeRoundTrip() throws {
        let ids = try Self.run(["tokenize", "--model", Self.model, "Good morrow, cousin."])
        #expect(ids.status == 0)
        let text = try Self.run(["detokenize", "--model", Self.model, ids.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
        #expect(text.stdout == "Good morrow, cousin.\n")
        let lines = try Self.run(["tokenize", "--model", Self.model], stdin: "\"a b\"\n\"\\n\"\n")
        #expect(lines.stdout.split(separator: "\n").count == 2)
        let back = try Self.run(["detokenize", "--model", Self.model], stdin: lines.stdout)
        #expect(back.stdout == "\"a b\"\n\"\\n\"\n")
    }

    @Test(arguments: [
        (["generate", "--model", "MODEL", "--input", "x", "--top-p", "1.5"], Int32(2), "top_p"),
        (["generate", "--model", "MODEL", "--input", "x", "--mode", "fastest"], 2, "mode"),
        (["generate", "--model", "MODEL", "--input", "x", "--max-length", "abc"], 2, "max-length"),
        (["generate", "--model", "MODEL", "--input", "x", "--bogus"], 2, "bogus"),
        (["generate", "--model", "MODEL"], 2, "--input"),
        (["generate", "--model", "/nonexistent/model", "--input", "x"], 1, "no model at /nonexistent/model"),
        (["generate", "--model", "MODEL", "--input", "x", "--precision", "int4"], 2, "int4"),
        (["generate", "--model", "MODEL", "--input", "x", "--threads", "0"], 2, "--threads"),
        (["bench", "--model", "MODEL", "--prompt-tokens", "100", "--new-tokens", "100"], 2, "context"),
        (["tokenize", "--model", "/nonexistent"], 1, "no model"),
        (["detokenize", "--model", "MODEL", "[1, 99999999]"], 2, "outside the vocabulary"),
        (["detokenize", "--model", "MODEL", "not json"], 2, "JSON array"),
    ])
    func badInputIsOneLineAndTheRightExitCode(arguments: [String], status: Int32, mentions: String) throws {
        let outcome = try Self.run(arguments.map { $0 == "MODEL" ? Self.model : $0 })
        #expect(outcome.status == status, "\(arguments): \(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains(mentions), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func aBadRequestOnStdinIsAUsageError() throws {
        let outcome = try Self.run(["generate", "--model", Self.model, "--request", "-"], stdin: #"{"input": "x", "top_k": "many"}"#)
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "gpt2-tui: error: request key \"top_k\" must be a number\n")
    }

    @Test func aCorruptModelFileIsARuntimeError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-tui-corrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = URL(fileURLWithPath: Self.model)
        for name in ["config.json", "vocab.json", "merges.txt"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let weights = try Data(contentsOf: source.appendingPathComponent("model.safetensors"))
        try weights.prefix(weights.count / 2).write(to: folder.appendingPathComponent("model.safetensors"))
        let outcome = try Self.run(["generate", "--model", folder.path, "--input", "x"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("model.safetensors"), "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }
}
