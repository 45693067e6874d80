import Foundation
import Testing

/// The real binary in a real terminal (tmux): type, run, watch the columns, move a slider,
/// resize, quit, and check the terminal was given back as it was.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "needs tmux"))
struct PlaygroundEndToEndTests {
    static let demoModel = CommandLineTests.fixtures.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("weights/demo/shakespeare-q8_0.gguf").path

    /// A scratch home so nothing of the user's is read or written.
    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-tui-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func environment(_ home: URL) -> [String: String] {
        ["HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
         "XDG_DATA_HOME": home.appendingPathComponent("data").path, "TERM": "screen-256color", "LANG": "C.UTF-8"]
    }

    /// The playground, followed by a line that shows the terminal settings it left behind.
    private func start(_ home: URL, width: Int = 100, height: Int = 30, extra: String = "") throws -> TmuxSession {
        let binary = CommandLineTests.binary.path
        let command = "'\(binary)' --model '\(Self.demoModel)' --threads 1 \(extra); echo \"EXIT=$?\"; stty -a | tr ' ' '\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo; sleep 30"
        return try TmuxSession(command: command, width: width, height: height, environment: environment(home))
    }

    @Test func typeRunWatchTweakAndQuit() throws {
        let home = try scratch()
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = try start(home)
        try tmux.waitFor("the playground") { $0.contains("Prompt") && $0.contains("int8") }
        try tmux.send("ROMEO:", literal: true)
        try tmux.send("C-r")
        let finished = try tmux.waitFor("three finished columns") { screen in
            screen.contains("#1") && screen.contains("#2") && screen.contains("#3") && screen.contains("idle ·")
        }
        #expect(finished.contains("ROMEO:"))
        #expect(finished.contains("tok"))
        // Focus the parameters and move the temperature slider up a step.
        try tmux.send("Tab")
        try tmux.send("j")
        try tmux.send("l")
        try tmux.waitFor("temperature 0.75") { $0.contains("0.75") }
        try tmux.send("C-q")
        let after = try tmux.waitFor("the shell again") { $0.contains("EXIT=") && $0.contains("icanon") }
        #expect(after.contains("EXIT=0"))
        #expect(after.contains("icanon") && after.contains("echo") && !after.contains("-icanon") && !after.contains("-echo"))
    }

    @Test func resizingWhileGeneratingReflows() throws {
        let home = try scratch()
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = try start(home, width: 140, height: 40)
        try tmux.waitFor("the playground") { $0.contains("Prompt") && $0.contains("int8") }
        try tmux.send("JULIET:", literal: true)
        try tmux.send("C-r")
        try tmux.waitFor("generation under way") { $0.contains("generating") || $0.contains("idle ·") }
        try tmux.resize(width: 80, height: 24)
        let narrow = try tmux.waitFor("the 80-column layout") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count <= 25 && screen.contains("Prompt") && screen.contains("#1")
        }
        for line in narrow.split(separator: "\n") { #expect(line.count <= 80) }
        try tmux.resize(width: 30, height: 10)
        try tmux.waitFor("the too-small message") { $0.contains("too small") }
        try tmux.resize(width: 100, height: 30)
        try tmux.waitFor("the layout again") { $0.contains("Prompt") }
        try tmux.send("C-q")
        let after = try tmux.waitFor("the shell again") { $0.contains("EXIT=") }
        #expect(after.contains("EXIT=0"))
    }

    @Test func aRunIsSavedAndRestoredFromTheHistoryPanelAfterARestart() throws {
        let home = try scratch()
        defer { try? FileManager.default.removeItem(at: home) }
        do {
            let tmux = try start(home)
            try tmux.waitFor("the playground") { $0.contains("Prompt") && $0.contains("int8") }
            try tmux.send("KING RICHARD:", literal: true)
            try tmux.send("C-r")
            try tmux.waitFor("the finished run") { $0.contains("idle ·") }
            try tmux.send("C-q")
            try tmux.waitFor("the shell again") { $0.contains("EXIT=0") }
        }
        let tmux = try start(home)
        try tmux.waitFor("the playground again") { $0.contains("Prompt") && $0.contains("int8") }
        try tmux.send("F7")
        let panel = try tmux.waitFor("the history panel") { $0.contains("History · 1 runs") }
        #expect(panel.contains("KING RICHARD:"))
        try tmux.send("KING", literal: true)
        try tmux.waitFor("the search") { $0.contains("Search: KING") }
        try tmux.send("Enter")
        let restored = try tmux.waitFor("the restored prompt") { $0.contains("restored run") }
        #expect(restored.contains("│KING RICHARD:"))
        try tmux.send("C-q")
        try tmux.waitFor("the shell again") { $0.contains("EXIT=0") }
    }
}
