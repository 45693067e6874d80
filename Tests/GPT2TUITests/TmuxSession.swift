import Foundation

/// A tmux server of its own (a private socket) running one command in a detached window of a
/// fixed size: the real terminal the end-to-end tests type into and read back.
final class TmuxSession {
    let socket = "gpt2-tui-test-\(UUID().uuidString.prefix(8))"
    let name = "playground"

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    /// Starts `command` (run by the shell) in a `width`×`height` window.
    init(command: String, width: Int, height: Int, environment: [String: String]) throws {
        var arguments = ["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)"]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
        arguments.append(command)
        try tmux(arguments)
    }

    deinit {
        _ = try? tmux(["kill-server"])
    }

    /// Keys as tmux names them ("C-r", "Tab", "Escape") or literal text with `literal`.
    func send(_ keys: String..., literal: Bool = false) throws {
        try tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    /// The visible screen as text.
    func capture() throws -> String {
        try tmux(["capture-pane", "-p", "-t", name])
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen satisfies `condition`; returns the screen, or throws with the last
    /// screen seen after `timeout` seconds.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 30, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = (try? capture()) ?? ""
            if condition(screen) { return screen }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TmuxError.timedOut(waitingFor: what, screen: screen)
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tmux", "-L", socket, "-f", "/dev/null"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw TmuxError.failed(arguments: arguments, output: text) }
        return text
    }
}

enum TmuxError: Error, CustomStringConvertible {
    case failed(arguments: [String], output: String)
    case timedOut(waitingFor: String, screen: String)

    var description: String {
        switch self {
        case let .failed(arguments, output): return "tmux \(arguments.joined(separator: " ")) failed: \(output)"
        case let .timedOut(what, screen): return "timed out waiting for \(what); the screen was:\n\(screen)"
        }
    }
}
