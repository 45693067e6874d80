import Foundation
import Testing
@testable import GPT2
import GPT2Engine
@testable import Playground

/// The playground driving the real generation engine on the tiny fixture model.
@Suite struct PlaygroundRealEngineTests {
    @Test func runThenContinueGrowsEveryColumn() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playground-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenizer = try TestTokenizer.make()
        let model = GPT2Model(weights: try GPT2Weights.load(huggingFaceFolder: TestTokenizer.folder))
        let engine = GenerationEngine(model: model, tokenizer: tokenizer)
        let loaded = LoadedModel(summary: PlaygroundFixtures.summary, tokenizer: tokenizer, generator: engine)
        let services = PlaygroundServices(
            loadModel: { loaded }, loadTheme: { (Theme(name: $0, styles: [:]), nil) },
            saveHistory: { _, _ in }, history: HistoryStore(folder: folder),
            savePreset: { _, _ in [] }, downloadModel: nil, editorCommand: "true", outputFolder: folder)
        var state = PlaygroundState(width: 100, height: 30, model: .loading(name: "tiny-a"))
        var parameters = state.panel.parameters
        parameters.maxLength = 8
        parameters.seed = 7
        state.panel.perform(.load(parameters))
        /// The status bar's "idle · N tokens" of the first run, to see the continued one end.
        final class FirstRun { var status = "" }
        let first = FirstRun()
        func idleStatus(_ screen: String) -> String? {
            guard let start = screen.range(of: "idle · "), let end = screen.range(of: " tokens", range: start.upperBound..<screen.endIndex) else { return nil }
            return String(screen[start.lowerBound..<end.upperBound])
        }
        let terminal = FakeTerminal(width: 100, height: 30, steps: [
            .init(until: { $0.contains("int8") }, input: "Hello".map { .key(.char($0)) } + [.key(.ctrl("r"))]),
            .init(until: { screen in
                guard let status = idleStatus(screen) else { return false }
                first.status = status
                return true
            }, input: [.key(.ctrl("n"))]),
            .init(until: { screen in idleStatus(screen).map { $0 != first.status } ?? false }, input: [.key(.ctrl("q"))]),
        ])
        let program = PlaygroundProgram(state: state, services: services)
        await runOnThread(program, terminal)
        #expect(!terminal.timedOut, "\(terminal.lastScreen?.text ?? "")")
        let run = try #require(program.state.run)
        // Each column got up to 8 tokens, then up to 8 more (fewer only where the model ended).
        for column in run.columns {
            #expect(column.tokenCount == 16 || column.finishReason == FinishReason.endOfText, "\(column.tokenCount) tokens, \(String(describing: column.finishReason))")
        }
        #expect(run.result?.sequences.count == 3)
    }
}

/// As the executable does: the engine is the playground's generator.
extension GenerationEngine: PlaygroundGenerator {}
