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
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let status = try Self.spawn(["tmux", "-L", socket, "-f", "/dev/null"] + arguments, output: output.path)
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw TmuxError.failed(arguments: arguments, output: text) }
        return text
    }

    /// Runs a program and waits for it with posix_spawn and waitpid. (Foundation's Process
    /// would wait for the tmux server too: the server it starts inherits the descriptors
    /// Process watches to see its child end.)
    private static func spawn(_ arguments: [String], output: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // The tmux server and the programs in its windows inherit the signal mask: start them
        // with none blocked, as a shell would, whatever the test runner blocks.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard spawned == 0 else { throw TmuxError.failed(arguments: arguments, output: String(cString: strerror(spawned))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // Exited normally: the exit code; otherwise a failure.
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
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
