import Foundation
import Testing

extension PlaygroundEndToEndTests {
    /// A fresh machine: gpt2 is not there, so the playground opens the demo model and says so;
    /// F8 fetches gpt2 from the (loopback) hub with the progress drawn in the playground, then
    /// switches to it and generates with it.
    @Test func f8DownloadsGPT2WithItsProgressAndSwitchesToIt() throws {
        let home = try scratch()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try LoopbackHubServer()
        defer { server.stop() }
        try server.serve(folder: DownloadTests.tinyModel, as: "openai-community/gpt2")
        server.throttle("model.safetensors", bytesPerSecond: 200_000)
        let models = home.appendingPathComponent("models")
        let demo = models.appendingPathComponent("demo/shakespeare-q8_0.gguf")
        try FileManager.default.createDirectory(at: demo.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CommandLineTests.fixtures.appendingPathComponent("gguf/tiny-a-q8_0.gguf"), to: demo)
        var environment = environment(home)
        environment["HF_ENDPOINT"] = server.endpoint
        environment["HF_HUB_CACHE"] = home.appendingPathComponent("hub-cache").path
        environment["HF_TOKEN"] = ""

        let command = "'\(CommandLineTests.binary.path)' --models-dir '\(models.path)' --threads 1; echo \"EXIT=$?\"; sleep 30"
        let tmux = try TmuxSession(command: command, width: 100, height: 30, environment: environment)
        // The notice shows for a few seconds from the start; the model loads meanwhile.
        try tmux.waitFor("the notice") { $0.contains("gpt2 is not downloaded: using the demo model") }
        try tmux.waitFor("the demo model") { $0.contains("demo · int8") }
        try tmux.send("F8")
        let progress = try tmux.waitFor("the download's progress") { $0.contains("Downloading") && $0.contains("gpt2/model.safetensors · ") }
        #expect(progress.contains("downloading") && progress.contains("%") && progress.contains(" of "))
        try tmux.waitFor("gpt2 in the status bar", timeout: 60) { $0.contains("gpt2 · int8") }
        #expect(FileManager.default.fileExists(atPath: models.appendingPathComponent("gpt2/gpt2-q8_0.gguf").path))
        #expect(server.requests.contains { $0.method == "GET" && $0.path.hasPrefix("/cdn/") })

        try tmux.send("ROMEO:", literal: true)
        try tmux.send("C-r")
        try tmux.waitFor("a run on gpt2") { $0.contains("idle ·") && $0.contains("gpt2 · int8") }
        try tmux.send("C-q")
        let after = try tmux.waitFor("the shell again") { $0.contains("EXIT=") }
        #expect(after.contains("EXIT=0"))
    }
}
