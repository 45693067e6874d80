import Foundation
import GPT2
@testable import gpt2_tui
import Testing

/// The installer behind `gpt2-tui download` and the playground's download key, in process,
/// against the loopback hub; and the progress line the playground draws from its events.
@Suite struct ModelInstallerTests {
    /// Whatever arrives, from any thread, in order.
    final class Recorder<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Value] = []
        func add(_ value: Value) { lock.withLock { values.append(value) } }
        var all: [Value] { lock.withLock { values } }
    }

    /// A clock the test moves by hand.
    final class ManualClock: @unchecked Sendable {
        private let lock = NSLock()
        private var time = Date(timeIntervalSinceReferenceDate: 0)
        func advance(_ seconds: Double) { lock.withLock { time += seconds } }
        func now() -> Date { lock.withLock { time } }
    }

    static func installer(_ setup: DownloadTests.Setup) -> ModelInstaller {
        let store = ModelStore(folder: setup.models, manifest: .builtIn, cache: HuggingFaceCache(root: setup.cache))
        return ModelInstaller(store: store, environment: setup.environment, timeout: 2)
    }

    /// An event by its kind and file, enough to check the order.
    static func step(_ event: ModelInstaller.Event) -> String {
        switch event {
        case .bundled: return "bundled"
        case .alreadyDownloaded: return "already downloaded"
        case .foundInCache: return "found in cache"
        case .planned(let files, _, _): return "planned \(files.joined(separator: ","))"
        case .fileStarted(let file, _, _): return "start \(file)"
        case .fileProgress(let file, _, _): return "progress \(file)"
        case .fileFinished(let file): return "finish \(file)"
        case .downloaded: return "downloaded"
        case .alreadyQuantized: return "already quantized"
        case .quantizing: return "quantizing"
        case .quantized: return "quantized"
        }
    }

    /// The steps with the repeats of progress folded into one.
    static func steps(_ events: [ModelInstaller.Event]) -> [String] {
        events.map(step).reduce(into: []) { steps, step in
            if steps.last != step { steps.append(step) }
        }
    }

    @Test func installingReportsEveryStepInOrderAndTheProgressEndsAtOne() throws {
        let setup = try DownloadTests.Setup()
        defer { setup.remove() }
        let events = Recorder<ModelInstaller.Event>()
        let reports = Recorder<(fraction: Double?, detail: String)>()
        let report = InstallProgressReport(name: "gpt2") { reports.add(($0, $1)) }
        try Self.installer(setup).install("gpt2") { event in
            events.add(event)
            report.record(event)
        }
        report.loading()

        let files = DownloadTests.files
        var expected = ["planned \(files.joined(separator: ","))"]
        for file in files { expected += ["start \(file)", "progress \(file)", "finish \(file)"] }
        expected += ["downloaded", "quantizing", "quantized"]
        #expect(Self.steps(events.all) == expected)
        guard case let .planned(_, totals, present) = events.all.first else {
            Issue.record("no plan first")
            return
        }
        let sizes = try files.map { try Data(contentsOf: DownloadTests.tinyModel.appending(path: $0)).count }
        #expect(totals == sizes.map { Int64($0) })
        #expect(present == [0, 0, 0, 0])
        #expect(FileManager.default.fileExists(atPath: setup.models.appending(path: "gpt2/gpt2-q8_0.gguf").path))

        // The playground's line: the fraction of all the bytes only grows, reaches 1 when the
        // files are in, and the very last report is 1 too.
        let all = reports.all
        let downloading = all.prefix { !$0.detail.hasPrefix("quantizing") }
        let fractions = downloading.compactMap(\.fraction)
        #expect(fractions.count == downloading.count)
        #expect(fractions == fractions.sorted())
        #expect(fractions.last == 1)
        #expect(downloading.contains { $0.detail.hasPrefix("gpt2/model.safetensors · ") && $0.detail.contains(" of ") })
        #expect(all.contains { $0.detail == "quantizing to gpt2-q8_0.gguf…" })
        #expect(all.last?.fraction == 1 && all.last?.detail == "loading gpt2…")

        // Again: everything is in place and the hub is not asked anything.
        let count = setup.server.requests.count
        let again = Recorder<ModelInstaller.Event>()
        try Self.installer(setup).install("gpt2") { again.add($0) }
        #expect(Self.steps(again.all) == ["already downloaded", "already quantized"])
        #expect(setup.server.requests.count == count)
    }

    @Test func aCutConnectionSaysWhatWasKeptAndNothingLooksFinished() throws {
        let setup = try DownloadTests.Setup()
        defer { setup.remove() }
        setup.server.cutOnce("model.safetensors", after: 300_000)
        let installer = Self.installer(setup)
        let error = #expect(throws: ModelInstallError.self) {
            try installer.install("gpt2") { _ in }
        }
        guard case let .download(model, file, _, kept) = error else {
            Issue.record("not a download error: \(String(describing: error))")
            return
        }
        #expect(model == "gpt2" && file == "model.safetensors" && kept == 300_000)
        #expect(error?.isResumable == true)
        #expect(error.map { "\($0)" }?.hasSuffix("; 300.0 kB kept in model.safetensors.incomplete") == true)
        let presence = try #require(installer.store.manifest.entry(named: "gpt2").map(installer.store.presence(of:)))
        #expect(presence.best == nil && presence.partial)

        // The next try resumes where the cut left off.
        let events = Recorder<ModelInstaller.Event>()
        try installer.install("gpt2", quantize: false) { events.add($0) }
        let resumed = events.all.contains {
            if case .fileStarted("model.safetensors", _, 300_000) = $0 { return true }
            return false
        }
        #expect(resumed)
        #expect(setup.server.requests.contains { $0.method == "GET" && $0.range == "bytes=300000-" })
    }

    @Test func aMissingFileFailsBeforeAnythingIsFetched() throws {
        let setup = try DownloadTests.Setup()
        defer { setup.remove() }
        setup.server.failWith404("vocab.json")
        let events = Recorder<ModelInstaller.Event>()
        #expect(throws: ModelInstallError.download(
            model: "gpt2", file: "vocab.json",
            reason: "not found on the hub: \(setup.server.endpoint)/openai-community/gpt2/resolve/main/vocab.json", kept: nil)) {
            try Self.installer(setup).install("gpt2") { events.add($0) }
        }
        #expect(events.all.isEmpty)
        #expect(!setup.server.requests.contains { $0.method == "GET" })
        #expect(setup.contents("models/gpt2").isEmpty)
    }

    @Test func aBadChecksumKeepsNothingToResume() throws {
        let setup = try DownloadTests.Setup()
        defer { setup.remove() }
        setup.server.announceWrongSHA("model.safetensors")
        do throws(ModelInstallError) {
            try Self.installer(setup).install("gpt2") { _ in }
            Issue.record("a wrong checksum was accepted")
        } catch {
            #expect(!error.isResumable)
            #expect("\(error)".hasPrefix("gpt2/model.safetensors: ") && "\(error)".contains("it was removed"), "\(error)")
        }
        #expect(!setup.contents("models/gpt2").contains { $0.hasPrefix("model.safetensors") })
        #expect(!setup.contents("models/gpt2").contains { $0.hasSuffix(".gguf") })
    }

    @Test func namesAndAddressesAreUsageErrors() throws {
        let setup = try DownloadTests.Setup()
        defer { setup.remove() }
        #expect(throws: ModelInstallError.unknownModel(name: "gpt3", known: ModelManifest.builtIn.models.map(\.name))) {
            try Self.installer(setup).install("gpt3") { _ in }
        }
        var installer = Self.installer(setup)
        installer.environment["HF_ENDPOINT"] = "ftp://example"
        do throws(ModelInstallError) {
            try installer.install("gpt2") { _ in }
            Issue.record("an ftp endpoint was accepted")
        } catch {
            #expect(error.isUsageError && "\(error)".contains("HF_ENDPOINT is not an http(s) address"), "\(error)")
        }
        #expect(setup.server.requests.isEmpty)
    }

    @Test func theProgressLineGivesBytesRateAndTimeLeftAtMostTenTimesASecond() {
        let clock = ManualClock()
        let reports = Recorder<(fraction: Double?, detail: String)>()
        let report = InstallProgressReport(name: "gpt2", now: clock.now) { reports.add(($0, $1)) }
        report.record(.planned(files: ["a.json", "b.bin"], totals: [1_000_000, 3_000_000], present: [0, 1_000_000]))
        report.record(.fileStarted(file: "a.json", total: 1_000_000, resumingFrom: 0))
        clock.advance(2)
        report.record(.fileProgress(file: "a.json", done: 500_000, total: 1_000_000))
        report.record(.fileProgress(file: "a.json", done: 600_000, total: 1_000_000))  // too soon: not shown
        clock.advance(0.05)
        report.record(.fileProgress(file: "a.json", done: 1_000_000, total: 1_000_000))  // a file's end: shown
        let all = reports.all
        #expect(all.map(\.fraction) == [0.25, 0.25, 0.375, 0.5])
        // 500 kB fetched in 2 s (the megabyte kept from before does not count): 250 kB/s, and
        // 2.5 MB to go.
        #expect(all[2].detail == "gpt2/a.json · 1.5 MB of 4.0 MB · 250.0 kB/s · 10 s left")
        #expect(all.count == 4)

        // Sizes the hub did not give: bytes only, and no fraction.
        let unknown = Recorder<(fraction: Double?, detail: String)>()
        let open = InstallProgressReport(name: "gpt2", now: clock.now) { unknown.add(($0, $1)) }
        open.record(.planned(files: ["a.json"], totals: [nil], present: [0]))
        clock.advance(1)
        open.record(.fileProgress(file: "a.json", done: 2_000, total: nil))
        #expect(unknown.all.last?.fraction == nil)
        #expect(unknown.all.last?.detail == "gpt2/a.json · 2.0 kB · 2.0 kB/s")
    }
}
