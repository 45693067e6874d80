import Foundation
import GPT2
import Testing

/// `gpt2-tui download`, `models` and `--model NAME`, against a hub served on the loopback
/// interface by the test itself; nothing here reaches the internet.
@Suite struct DownloadTests {
    static let tinyModel = URL(fileURLWithPath: CommandLineTests.model)
    static let files = ["config.json", "model.safetensors", "vocab.json", "merges.txt"]

    /// A scratch folder, a server holding tiny-a as `openai-community/gpt2`, and an environment
    /// that points the binary at both (with an empty Hugging Face cache of its own).
    struct Setup {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-tui-download-\(UUID().uuidString)")
        let server: LoopbackHubServer
        var models: URL { scratch.appending(path: "models") }
        var cache: URL { scratch.appending(path: "hub-cache") }
        var environment: [String: String] {
            ["HF_ENDPOINT": server.endpoint, "HF_HUB_CACHE": cache.path, "GPT2_TUI_MODELS": "", "HF_TOKEN": ""]
        }

        init() throws {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            server = try LoopbackHubServer()
            try server.serve(folder: DownloadTests.tinyModel, as: "openai-community/gpt2")
        }

        func run(_ arguments: [String]) throws -> CommandLineTests.Outcome {
            try CommandLineTests.run(arguments, environment: environment)
        }

        func download(_ extra: [String] = []) throws -> CommandLineTests.Outcome {
            try run(["download", "gpt2", "--models-dir", models.path] + extra)
        }

        func contents(_ relative: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: scratch.appending(path: relative).path)) ?? []).sorted()
        }

        func remove() {
            server.stop()
            try? FileManager.default.removeItem(at: scratch)
        }
    }

    static func same(_ first: URL, _ second: URL) -> Bool {
        FileManager.default.contents(atPath: first.path) == FileManager.default.contents(atPath: second.path)
    }

    @Test func downloadsVerifiesAndQuantizes() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let outcome = try setup.download()
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.isEmpty)
        #expect(outcome.stdout.contains("gpt2/model.safetensors: downloading 697.9 kB"))
        #expect(outcome.stdout.contains("gpt2: quantized to"))
        let folder = setup.models.appending(path: "gpt2")
        for file in Self.files {
            #expect(Self.same(folder.appending(path: file), Self.tinyModel.appending(path: file)), "\(file)")
        }
        #expect(setup.contents("models/gpt2") == (Self.files + ["gpt2-q8_0.gguf"]).sorted())
        // The hub's way: HEAD (not following the LFS redirect), then GET following it.
        let requests = setup.server.requests
        #expect(requests.contains(.init(method: "HEAD", path: "/openai-community/gpt2/resolve/main/model.safetensors")))
        #expect(requests.contains { $0.method == "GET" && $0.path.hasPrefix("/cdn/") })

        // The name now loads, from the quantized file.
        let tokens = try setup.run(["tokenize", "--model", "gpt2", "--models-dir", setup.models.path, "ROMEO:"])
        let direct = try CommandLineTests.run(["tokenize", "--model", CommandLineTests.model, "ROMEO:"])
        #expect(tokens.status == 0 && tokens.stdout == direct.stdout, "\(tokens.stderr)")

        // A second run finds everything in place and asks the hub nothing.
        let count = setup.server.requests.count
        let again = try setup.download()
        #expect(again.status == 0 && again.stdout.contains("already downloaded") && again.stdout.contains("already quantized"))
        #expect(setup.server.requests.count == count)
    }

    @Test func resumesAfterACutConnection() throws {
        let setup = try Setup()
        defer { setup.remove() }
        setup.server.cutOnce("model.safetensors", after: 300_000)
        let first = try setup.download(["--no-quantize"])
        #expect(first.status == 1)
        #expect(first.stderr.hasPrefix("gpt2-tui: error: gpt2/model.safetensors: ") && first.stderr.contains("again to resume"), "\(first.stderr)")
        #expect(first.stderr.split(separator: "\n").count == 1)
        let partial = setup.models.appending(path: "gpt2/model.safetensors.incomplete")
        #expect((try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? Int) == 300_000)
        #expect(!FileManager.default.fileExists(atPath: setup.models.appending(path: "gpt2/model.safetensors").path))
        let listed = try setup.run(["models", "--models-dir", setup.models.path])
        #expect(listed.stdout.contains("partly downloaded: gpt2-tui download gpt2 resumes it"))
        let notYet = try setup.run(["tokenize", "--model", "gpt2", "--models-dir", setup.models.path, "x"])
        #expect(notYet.status == 1 && notYet.stderr.contains("gpt2 is not downloaded"))

        let second = try setup.download(["--no-quantize"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("resuming at 300.0 kB"))
        #expect(setup.server.requests.contains { $0.method == "GET" && $0.range == "bytes=300000-" })
        #expect(Self.same(setup.models.appending(path: "gpt2/model.safetensors"), Self.tinyModel.appending(path: "model.safetensors")))
        #expect(setup.contents("models/gpt2") == Self.files.sorted())
    }

    @Test func aMissingFileIsAOneLineError() throws {
        let setup = try Setup()
        defer { setup.remove() }
        setup.server.failWith404("vocab.json")
        let outcome = try setup.download()
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "gpt2-tui: error: gpt2/vocab.json: not found on the hub: \(setup.server.endpoint)/openai-community/gpt2/resolve/main/vocab.json\n")
        #expect(!setup.contents("models/gpt2").contains { $0.hasPrefix("vocab.json") })
    }

    @Test func aChecksumMismatchLeavesNothing() throws {
        let setup = try Setup()
        defer { setup.remove() }
        setup.server.announceWrongSHA("model.safetensors")
        let outcome = try setup.download()
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("model.safetensors has sha256") && outcome.stderr.contains("it was removed"), "\(outcome.stderr)")
        #expect(!setup.contents("models/gpt2").contains { $0.hasPrefix("model.safetensors") })
    }

    @Test func aStalledServerTimesOut() throws {
        let setup = try Setup()
        defer { setup.remove() }
        setup.server.stall("model.safetensors")
        let start = Date()
        let outcome = try setup.download(["--timeout", "0.5"])
        #expect(Date().timeIntervalSince(start) < 4)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("stalled: nothing received for 0.5 s; ") && outcome.stderr.contains("kept in model.safetensors.incomplete, run the command again to resume"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: setup.models.appending(path: "gpt2/model.safetensors").path))
    }

    @Test func anUnwritableFolderIsAOneLineError() throws {
        let setup = try Setup()
        defer { setup.remove() }
        // A folder inside a regular file cannot be made, whoever runs the test.
        let blocker = setup.scratch.appending(path: "file")
        try Data("x".utf8).write(to: blocker)
        let outcome = try setup.run(["download", "gpt2", "--models-dir", blocker.appending(path: "models").path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("gpt2-tui: error: gpt2/config.json: cannot write "), "\(outcome.stderr)")
    }

    /// A cache as `huggingface_hub` lays it out: refs/main → snapshots/COMMIT/FILE → ../../blobs/HASH.
    static func makeCache(at root: URL, repository: String = "openai-community/gpt2") throws -> URL {
        let repositoryFolder = root.appending(path: "models--" + repository.replacingOccurrences(of: "/", with: "--"))
        let commit = "6c0e6080953db56375760c0471a8c5f2929baf11"
        let snapshot = repositoryFolder.appending(path: "snapshots/\(commit)")
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: snapshot, withIntermediateDirectories: true)
        try fileManager.createDirectory(at: repositoryFolder.appending(path: "blobs"), withIntermediateDirectories: true)
        try fileManager.createDirectory(at: repositoryFolder.appending(path: "refs"), withIntermediateDirectories: true)
        try Data(commit.utf8).write(to: repositoryFolder.appending(path: "refs/main"))
        for (index, file) in files.enumerated() {
            let blob = "blob\(index)"
            try fileManager.copyItem(at: tinyModel.appending(path: file), to: repositoryFolder.appending(path: "blobs/\(blob)"))
            try fileManager.createSymbolicLink(atPath: snapshot.appending(path: file).path, withDestinationPath: "../../blobs/\(blob)")
        }
        return snapshot
    }

    @Test func aModelInTheHuggingFaceCacheIsUsedInPlace() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let snapshot = try Self.makeCache(at: setup.cache)

        let listed = try setup.run(["models", "--models-dir", setup.models.path, "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
        let gpt2 = (document?["models"] as? [[String: Any]])?.first { $0["name"] as? String == "gpt2" }
        #expect(gpt2?["huggingface_cache"] as? String == snapshot.path)
        #expect(gpt2?["present"] as? Bool == true)

        // --model NAME loads the snapshot before anything is downloaded.
        let tokens = try setup.run(["tokenize", "--model", "gpt2", "--models-dir", setup.models.path, "ROMEO:"])
        #expect(tokens.status == 0, "\(tokens.stderr)")

        let outcome = try setup.download()
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("found in the Hugging Face cache at \(snapshot.path); nothing to download"))
        #expect(setup.server.requests.isEmpty)
        #expect(setup.contents("models/gpt2") == ["gpt2-q8_0.gguf"])  // no copies of the cache's files
    }

    @Test func theCacheFollowsTheHubsEnvironmentVariables() throws {
        #expect(HuggingFaceCache(environment: ["HF_HUB_CACHE": "/a/hub", "HF_HOME": "/b", "HOME": "/h"]).root.path == "/a/hub")
        #expect(HuggingFaceCache(environment: ["HF_HOME": "/b", "HOME": "/h"]).root.path == "/b/hub")
        #expect(HuggingFaceCache(environment: ["HOME": "/h"]).root.path == "/h/.cache/huggingface/hub")
        #expect(HuggingFaceCache(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]).root.path == "/x/huggingface/hub")

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-tui-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let snapshot = try Self.makeCache(at: root)
        let cache = HuggingFaceCache(root: root)
        #expect(cache.snapshot(repository: "openai-community/gpt2", revision: "main", files: Self.files)?.path == snapshot.path)
        #expect(cache.snapshot(repository: "openai-community/gpt2", revision: "main", files: Self.files + ["missing.bin"]) == nil)
        #expect(cache.snapshot(repository: "openai-community/gpt2-xl", revision: "main", files: Self.files) == nil)
        // A dangling link (a blob removed) is not a complete snapshot.
        try FileManager.default.removeItem(at: root.appending(path: "models--openai-community--gpt2/blobs/blob1"))
        #expect(cache.snapshot(repository: "openai-community/gpt2", revision: "main", files: Self.files) == nil)
    }

    @Test func theModelsCommandListsTheManifest() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let outcome = try setup.run(["models", "--models-dir", setup.models.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        for name in ["gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "distilgpt2", "demo"] {
            #expect(outcome.stdout.contains("\n\(name) "), "\(name)")
        }
        #expect(outcome.stdout.contains("not downloaded: gpt2-tui download gpt2-medium"))
        #expect(outcome.stdout.contains("missing:    \(setup.models.path)/demo/shakespeare-q8_0.gguf"))

        let missing = try setup.run(["generate", "--model", "gpt2-xl", "--models-dir", setup.models.path, "--input", "x"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "gpt2-tui: error: gpt2-xl is not downloaded; run `gpt2-tui download gpt2-xl`\n")
        let unknown = try setup.run(["download", "gpt3", "--models-dir", setup.models.path])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown model gpt3; known models: gpt2, "))
    }

    @Test func theBundledDemoIsFoundByName() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let demo = setup.models.appending(path: "demo/shakespeare-q8_0.gguf")
        try FileManager.default.createDirectory(at: demo.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CommandLineTests.fixtures.appending(path: "gguf/tiny-a-q8_0.gguf"), to: demo)
        let environment = setup.environment.merging(["GPT2_TUI_MODELS": setup.models.path]) { $1 }
        let tokens = try CommandLineTests.run(["tokenize", "--model", "demo", "ROMEO:"], environment: environment)
        #expect(tokens.status == 0, "\(tokens.stderr)")
        let download = try CommandLineTests.run(["download", "demo"], environment: environment)
        #expect(download.status == 0 && download.stdout == "demo: bundled, at \(demo.path); nothing to download\n")
        #expect(setup.server.requests.isEmpty)
    }

    @Test func theClientDownloadsIntoAFolder() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let client = HubClient(endpoint: URL(string: setup.server.endpoint)!, timeout: 2)
        let file = ModelManifest.File(name: "model.safetensors")
        let metadata = try client.metadata(repository: "openai-community/gpt2", revision: "main", file: file.name)
        let seen = Counter()
        let url = try client.download(repository: "openai-community/gpt2", revision: "main", file: file, into: setup.scratch,
                                      metadata: metadata) { done, total in seen.add(done, total) }
        #expect(Self.same(url, Self.tinyModel.appending(path: file.name)))
        #expect(seen.last?.0 == metadata.size && seen.last?.1 == metadata.size)
        #expect(setup.contents("") == ["model.safetensors"])

        // A size pinned by the manifest wins over the hub's, and a wrong one leaves nothing.
        let pinned = ModelManifest.File(name: "vocab.json", size: 10)
        #expect(throws: HubDownloadError.self) {
            try client.download(repository: "openai-community/gpt2", revision: "main", file: pinned, into: setup.scratch,
                                metadata: HubFileMetadata())
        }
        #expect(setup.contents("") == ["model.safetensors"])
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var values: (Int64, Int64?)?
        func add(_ done: Int64, _ total: Int64?) { lock.withLock { values = (done, total) } }
        var last: (Int64, Int64?)? { lock.withLock { values } }
    }

    @Test func theClientReadsTheHubsMetadata() throws {
        let server = try LoopbackHubServer()
        defer { server.stop() }
        try server.serve(folder: Self.tinyModel, as: "openai-community/gpt2")
        let client = HubClient(endpoint: URL(string: server.endpoint)!, timeout: 2)
        let weights = try client.metadata(repository: "openai-community/gpt2", revision: "main", file: "model.safetensors")
        let data = try Data(contentsOf: Self.tinyModel.appending(path: "model.safetensors"))
        #expect(weights.size == Int64(data.count))
        #expect(weights.sha256 == LoopbackHubServer.sha256(data))
        #expect(weights.commit == "0123456789abcdef0123456789abcdef01234567")
        let config = try client.metadata(repository: "openai-community/gpt2", revision: "main", file: "config.json")
        #expect(config.sha256 == nil)  // a git ETag, not a sha256
        #expect(config.size == 825)
        #expect(throws: HubDownloadError.notFound(url: "\(server.endpoint)/openai-community/gpt2/resolve/main/nope.bin")) {
            try client.metadata(repository: "openai-community/gpt2", revision: "main", file: "nope.bin")
        }
        #expect(client.fileURL(repository: "distilbert/distilgpt2", revision: "main", file: "merges.txt").absoluteString
                == "\(server.endpoint)/distilbert/distilgpt2/resolve/main/merges.txt")
    }
}

@Suite struct ModelManifestTests {
    static let manifestFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "weights/models.json")

    @Test func theShippedManifestDecodesAndIsBuiltIn() throws {
        let manifest = try ModelManifest(contentsOf: Self.manifestFile)
        #expect(manifest == ModelManifest.builtIn)
        #expect(manifest.models.map(\.name) == ["gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "distilgpt2", "demo"])
        #expect(manifest.entry(named: "distilgpt2")?.repository == "distilbert/distilgpt2")
        #expect(manifest.entry(named: "gpt2-xl")?.parameters == 1_557_611_200)
        #expect(manifest.entry(named: "demo")?.source == .local(path: "demo/shakespeare-q8_0.gguf"))
        guard case .hub(_, let revision, let files) = manifest.entry(named: "gpt2")?.source else {
            Issue.record("gpt2 is not a hub model")
            return
        }
        #expect(revision == "main")
        #expect(files.map(\.name) == ["config.json", "model.safetensors", "vocab.json", "merges.txt"])
    }

    @Test(arguments: [
        (#"{"version": 1, "models": [{"name": "a", "repository": "o/a", "files": ["x"]}, {"name": "a", "local": "b.gguf"}]}"#, "listed twice"),
        (#"{"version": 1, "models": [{"name": "a", "files": ["x"]}]}"#, "needs \"repository\""),
        (#"{"version": 1, "models": [{"name": "a", "repository": "nope", "files": ["x"]}]}"#, "ORGANIZATION/NAME"),
        (#"{"version": 1, "models": [{"name": "a", "repository": "o/a", "files": [{"name": "x", "sha256": "12"}]}]}"#, "64 hexadecimal"),
        (#"{"version": 1, "models": [{"name": "a", "repository": "o/a", "files": ["../x"]}]}"#, "not a relative path"),
        (#"{"version": 1, "models": [{"name": "a b", "local": "x"}]}"#, "must be letters"),
        (#"{"version": 2, "models": []}"#, "unsupported version"),
        (#"{"models": []}"#, "missing \"version\""),
    ])
    func invalidManifestsAreRefused(json: String, message: String) {
        do {
            _ = try ModelManifest(data: Data(json.utf8))
            Issue.record("accepted: \(json)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func pinnedSizesAndChecksumsDecode() throws {
        let sha = String(repeating: "ab", count: 32)
        let manifest = try ModelManifest(data: Data(#"{"version": 1, "models": [{"name": "m", "repository": "o/m", "files": [{"name": "w.bin", "size": 3, "sha256": "\#(sha.uppercased())"}, "c.json"]}]}"#.utf8))
        #expect(manifest.models[0].source == .hub(repository: "o/m", revision: "main",
                                                   files: [.init(name: "w.bin", size: 3, sha256: sha), .init(name: "c.json")]))
    }

    @Test func sha256MatchesKnownDigests() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = [UInt8](repeating: 0x61, count: 1000)
        var pieces = SHA256()
        long.withUnsafeBytes { pieces.update(UnsafeRawBufferPointer(rebasing: $0[0..<7])) }
        long.withUnsafeBytes { pieces.update(UnsafeRawBufferPointer(rebasing: $0[7..<1000])) }
        #expect(pieces.finalizeHex() == SHA256.hex(long))
        #expect(SHA256.hex(long) == LoopbackHubServer.sha256(Data(long)))
    }
}
