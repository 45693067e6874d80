import Foundation

/// Progress of a long job on stderr: a bar redrawn in place when stderr is a terminal, nothing
/// otherwise (scripts and logs get only the final result or the error line).
final class ProgressBar {
    private let label: String
    private let isTerminal: Bool
    private var lastDrawn: Date?
    private var drewSomething = false
    private static let width = 30

    init(label: String, isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.isTerminal = isTerminal
    }

    /// Shows `done` of `total` bytes (at most about ten redraws a second, and always the last).
    func update(_ done: Int, _ total: Int) {
        guard isTerminal, total > 0 else { return }
        let now = Date()
        if done < total, let lastDrawn, now.timeIntervalSince(lastDrawn) < 0.1 { return }
        lastDrawn = now
        let fraction = min(max(Double(done) / Double(total), 0), 1)
        let filled = Int(fraction * Double(Self.width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: Self.width - filled)
        let line = String(format: "\r%@ %@ %3d%% %.1f/%.1f MB", label, bar, Int(fraction * 100),
                          Double(done) / 1e6, Double(total) / 1e6)
        FileHandle.standardError.write(Data(line.utf8))
        drewSomething = true
    }

    /// Ends the bar's line.
    func finish() {
        if drewSomething { FileHandle.standardError.write(Data("\n".utf8)) }
        drewSomething = false
    }

    /// Clears the bar so that an error line starts at the left margin.
    func abandon() {
        if drewSomething { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drewSomething = false
    }
}
