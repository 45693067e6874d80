import Foundation
import Testing

/// `gpt2-tui quantize`, and GGUF files given to the other commands' `--model`.
@Suite struct QuantizeCommandTests {
    static let model = CommandLineTests.model
    static let convertedQ8 = CommandLineTests.fixtures.appendingPathComponent("gguf/tiny-a-q8_0.gguf").path
    static let convertedF32 = CommandLineTests.fixtures.appendingPathComponent("gguf/tiny-a-f32.gguf").path

    /// A fresh folder for outputs, removed by `remove()`.
    struct Scratch {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-tui-quantize-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    @Test func theDefaultIsQ8_0AsLlamaCppsConverterWritesIt() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let out = scratch.path("tiny-a.gguf")
        let outcome = try CommandLineTests.run(["quantize", "--model", Self.model, "--out", out])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty && outcome.stderr.isEmpty)  // no progress bar without a terminal
        #expect(FileManager.default.contents(atPath: out) == FileManager.default.contents(atPath: Self.convertedQ8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["tiny-a.gguf"])
    }

    @Test(arguments: ["f32", "f16", "q8_0"])
    func eachTypeLoadsInTheOtherCommands(type: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let out = scratch.path("model-\(type).gguf")
        let outcome = try CommandLineTests.run(["quantize", "--model", Self.model, "--out", out, "--type", type])
        #expect(outcome.status == 0, "\(outcome.stderr)")

        let text = "Good morrow, cousin.<|endoftext|>"
        let fromFolder = try CommandLineTests.run(["tokenize", "--model", Self.model, text])
        let fromFile = try CommandLineTests.run(["tokenize", "--model", out, text])
        #expect(fromFile.status == 0 && fromFile.stdout == fromFolder.stdout, "\(fromFile.stderr)")
        let back = try CommandLineTests.run(["detokenize", "--model", out, fromFile.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
        #expect(back.stdout == text + "\n")

        let generate = ["generate", "--input", "ROMEO:", "--mode", "greedy", "--max-length", "10", "--num-return-sequences", "1", "--format", "json"]
        let generated = try CommandLineTests.run(generate + ["--model", out])
        #expect(generated.status == 0, "\(generated.stderr)")
        if type == "f32" {
            #expect(generated.stdout == (try CommandLineTests.run(generate + ["--model", Self.model])).stdout)
        } else {
            #expect(generated.stdout.hasPrefix("[\"ROMEO:"))
        }
    }

    @Test func aGGUFCanBeConvertedToAnotherType() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let out = scratch.path("from-f32.gguf")
        let outcome = try CommandLineTests.run(["quantize", "--model", Self.convertedF32, "--out", out, "--type", "q8_0"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(FileManager.default.contents(atPath: out) == FileManager.default.contents(atPath: Self.convertedQ8))
    }

    @Test func theInputIsNeverOverwritten() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let copy = scratch.path("model.gguf")
        try FileManager.default.copyItem(atPath: Self.convertedQ8, toPath: copy)
        let link = scratch.path("link.gguf")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: copy)
        let original = FileManager.default.contents(atPath: copy)
        for (model, out) in [(copy, copy), (copy, link), (link, copy)] {
            let outcome = try CommandLineTests.run(["quantize", "--model", model, "--out", out, "--type", "f32"])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("is the input file"), "\(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1)
        }
        #expect(FileManager.default.contents(atPath: copy) == original)
        let intoFolder = try CommandLineTests.run(["quantize", "--model", Self.model, "--out", Self.model + "/model.safetensors"])
        #expect(intoFolder.status == 2 && intoFolder.stderr.contains("is the input file"))
    }

    @Test(arguments: [
        (["quantize", "--model", "/nonexistent/model", "--out", "OUT"], Int32(1), "no model at /nonexistent/model"),
        (["quantize", "--model", "MODEL", "--out", "OUT", "--type", "q4_k"], 2, "--type"),
        (["quantize", "--model", "MODEL"], 2, "--out"),
        (["quantize", "--model", "MODEL", "--out", "/nonexistent/folder/x.gguf"], 1, "/nonexistent/folder/x.gguf: cannot write the file"),
        (["quantize", "--model", "MODEL/config.json", "--out", "OUT"], 1, "neither a model folder nor a .gguf file"),
        (["tokenize", "--model", "MODEL/config.json", "x"], 1, "neither a model folder nor a .gguf file"),
    ])
    func badInputIsOneLineAndTheRightExitCode(arguments: [String], status: Int32, mentions: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outcome = try CommandLineTests.run(arguments.map {
            $0.replacingOccurrences(of: "MODEL", with: Self.model).replacingOccurrences(of: "OUT", with: scratch.path("x.gguf"))
        })
        #expect(outcome.status == status, "\(arguments): \(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains(mentions), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty)
    }

    @Test func aCorruptGGUFIsARuntimeErrorNamingTheFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.convertedQ8))
        let corrupt = scratch.path("corrupt.gguf")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: corrupt))
        for arguments in [["quantize", "--model", corrupt, "--out", scratch.path("out.gguf")],
                          ["generate", "--model", corrupt, "--input", "x"], ["tokenize", "--model", corrupt, "x"]] {
            let outcome = try CommandLineTests.run(arguments)
            #expect(outcome.status == 1, "\(outcome.stderr)")
            #expect(outcome.stderr.contains("corrupt.gguf") && outcome.stderr.contains("reach past the end"), "\(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1)
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out.gguf")))
    }

    @Test func helpListsQuantize() throws {
        let outcome = try CommandLineTests.run(["--help"])
        #expect(outcome.stdout.contains("quantize"))
        let help = try CommandLineTests.run(["quantize", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--type") && help.stdout.contains("q8_0"))
    }
}
