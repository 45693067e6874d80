import Foundation
@testable import Playground

/// An in-memory terminal for program tests: plays a script of steps, each waiting until the
/// last drawn screen satisfies a condition before sending its input; records what it drew and
/// copied. Gives up (quits) after a time limit so a broken test cannot hang.
final class FakeTerminal: TerminalBackend {
    struct Step {
        var until: (String) -> Bool
        var input: [InputEvent]
    }

    var size: (width: Int, height: Int)
    private var steps: [Step]
    private(set) var lastScreen: Screen?
    private(set) var clipboard: [String] = []
    private(set) var themes: [String] = []
    // Generous: under a full parallel test run the engine's tasks may wait for a free thread.
    private let deadline = Date().addingTimeInterval(90)
    private(set) var timedOut = false

    init(width: Int, height: Int, steps: [Step]) {
        size = (width, height)
        self.steps = steps
    }

    func readInput(timeoutMilliseconds: Int) -> [InputEvent] {
        if Date() > deadline {
            timedOut = true
            return [.key(.ctrl("q"))]
        }
        guard let step = steps.first else { return [] }
        guard step.until(lastScreen?.text ?? "") else {
            Thread.sleep(forTimeInterval: 0.002)
            return []
        }
        steps.removeFirst()
        return step.input
    }

    func draw(_ screen: Screen) { lastScreen = screen }
    func apply(theme: Theme) { themes.append(theme.name) }
    func copyToClipboard(_ text: String) { clipboard.append(text) }
    func suspend<Result>(_ body: () throws -> Result) rethrows -> Result { try body() }
}

/// Runs the program loop on a thread of its own, as the executable does, and waits for it.
func runOnThread(_ program: PlaygroundProgram, _ terminal: FakeTerminal) async {
    // The program and the terminal are used by that thread alone until it ends.
    struct Handoff: @unchecked Sendable {
        let program: PlaygroundProgram
        let terminal: FakeTerminal
    }
    let handoff = Handoff(program: program, terminal: terminal)
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
        Thread.detachNewThread {
            handoff.program.run(on: handoff.terminal)
            done.resume()
        }
    }
}
