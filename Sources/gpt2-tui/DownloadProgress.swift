import Foundation

/// Progress of one file's download: on a terminal, a bar on stderr redrawn in place with the
/// bytes, the rate and the time left; otherwise one plain line on stdout when it starts and one
/// when it ends.
final class DownloadProgress: @unchecked Sendable {
    private let label: String
    private let isTerminal: Bool
    private let lock = NSLock()
    private let started = Date()
    private var startBytes: Int64?
    private var lastDrawn: Date?
    private var drewSomething = false
    private var done: Int64 = 0
    private static let width = 24

    init(label: String, isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.isTerminal = isTerminal
    }

    /// The plain line that starts a download.
    func begin(total: Int64?, resumingFrom offset: Int64) {
        guard !isTerminal else { return }
        var line = "\(label): downloading"
        if let total { line += " \(Self.bytes(total))" }
        if offset > 0 { line += ", resuming at \(Self.bytes(offset))" }
        Self.print(line)
    }

    /// `done` bytes of `total` are present (at most about ten redraws a second, and the last).
    func update(_ done: Int64, _ total: Int64?) {
        lock.withLock {
            self.done = done
            if startBytes == nil { startBytes = done }
            guard isTerminal else { return }
            let now = Date()
            if done != total, let lastDrawn, now.timeIntervalSince(lastDrawn) < 0.1 { return }
            lastDrawn = now
            let elapsed = now.timeIntervalSince(started)
            let rate = elapsed > 0.2 ? Double(done - (startBytes ?? 0)) / elapsed : 0
            var line = "\r\(label) "
            if let total, total > 0 {
                let fraction = min(max(Double(done) / Double(total), 0), 1)
                let filled = Int(fraction * Double(Self.width))
                line += String(repeating: "█", count: filled) + String(repeating: "░", count: Self.width - filled)
                line += String(format: " %3d%% ", Int(fraction * 100)) + "\(Self.bytes(done))/\(Self.bytes(total))"
                if rate > 0 { line += "  \(Self.bytes(Int64(rate)))/s  \(Self.duration(Double(total - done) / rate)) left" }
            } else {
                line += Self.bytes(done)
                if rate > 0 { line += "  \(Self.bytes(Int64(rate)))/s" }
            }
            FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
            drewSomething = true
        }
    }

    /// Ends the bar, or prints the plain closing line.
    func finish() {
        lock.withLock {
            if drewSomething { FileHandle.standardError.write(Data("\n".utf8)) }
            drewSomething = false
            if !isTerminal {
                let elapsed = Date().timeIntervalSince(started)
                Self.print("\(label): done, \(Self.bytes(done)) in \(Self.duration(elapsed))")
            }
        }
    }

    /// Clears the bar so that an error line starts at the left margin.
    func abandon() {
        lock.withLock {
            if drewSomething { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            drewSomething = false
        }
    }

    static func print(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func bytes(_ count: Int64) -> String {
        let value = Double(count)
        switch value {
        case ..<1e3: return "\(count) B"
        case ..<1e6: return String(format: "%.1f kB", value / 1e3)
        case ..<1e9: return String(format: "%.1f MB", value / 1e6)
        default: return String(format: "%.2f GB", value / 1e9)
        }
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let whole = Int(seconds.rounded())
        if whole < 60 { return seconds < 10 ? String(format: "%.1f s", seconds) : "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }
}
