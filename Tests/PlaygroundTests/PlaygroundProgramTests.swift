import Foundation
import Testing
@testable import GPT2
@testable import Playground

@Suite struct PlaygroundProgramTests {
    private func services(_ generator: ScriptedGenerator, history: URL) -> PlaygroundServices {
        PlaygroundServices(
            loadModel: { LoadedModel(summary: PlaygroundFixtures.summary, tokenizer: try TestTokenizer.make(), generator: generator) },
            loadTheme: { (Theme(name: $0, styles: [:]), nil) },
            saveHistory: { result, _ in
                let model = HistoryModel(name: "tiny-a", file: "/models/tiny-a.gguf", sha256: String(repeating: "0", count: 64), precision: "int8")
                _ = try HistoryStore(folder: history).save(HistoryRecord(result: result, model: model))
            },
            history: HistoryStore(folder: history),
            savePreset: { name, parameters in [Preset(name: name, parameters: parameters)] },
            downloadModel: nil,
            editorCommand: "true",
            outputFolder: history)
    }

    private func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playground-program-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func runsThePromptStreamsTheColumnsSavesHistoryAndQuits() async throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let generator = ScriptedGenerator(continuations: PlaygroundFixtures.continuations)
        let terminal = FakeTerminal(width: 100, height: 30, steps: [
            .init(until: { $0.contains("int8") }, input: "ROMEO:".map { .key(.char($0)) } + [.key(.ctrl("r"))]),
            .init(until: { $0.contains("idle ·") }, input: [.key(.ctrl("q"))]),
        ])
        let program = PlaygroundProgram(state: PlaygroundState(width: 80, height: 24, model: .loading(name: "tiny-a")),
                                        services: services(generator, history: folder))
        await runOnThread(program, terminal)
        #expect(!terminal.timedOut)
        let screen = terminal.lastScreen?.text ?? ""
        #expect(screen.contains("#3"))
        #expect(screen.contains("Juliet"))
        #expect(await generator.requests.first?.input == "ROMEO:")
        let saved = try HistoryStore(folder: folder).catalog().runs
        #expect(saved.count == 1 && saved.first?.promptPreview == "ROMEO:")
    }

    @Test func historyPanelRestoresASavedRun() async throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let generator = ScriptedGenerator(continuations: ["one two three"])
        let terminal = FakeTerminal(width: 100, height: 30, steps: [
            .init(until: { $0.contains("int8") }, input: "first prompt".map { .key(.char($0)) } + [.key(.ctrl("r"))]),
            .init(until: { $0.contains("idle ·") }, input: [.key(.ctrl("u"))]),
            .init(until: { $0.contains("Type a prompt") }, input: [.key(KeyPress(.function(7)))]),
            .init(until: { $0.contains("History · 1 runs") }, input: "first".map { .key(.char($0)) }),
            .init(until: { $0.contains("Search: first") }, input: [.key(KeyPress(.enter))]),
            .init(until: { $0.contains("restored run") }, input: [.key(.ctrl("q"))]),
        ])
        let program = PlaygroundProgram(state: PlaygroundState(width: 100, height: 30, model: .loading(name: "tiny-a")),
                                        services: services(generator, history: folder))
        await runOnThread(program, terminal)
        #expect(!terminal.timedOut)
        #expect(program.state.editor.text == "first prompt")
        let first = await generator.requests.first?.parameters.seed
        #expect(program.state.panel.parameters.seed == first, "the restored seed reproduces the run")
    }
}
