import ArgumentParser
import Foundation

// Command-line arguments that are not valid UTF-8 would be silently repaired by Swift's String;
// refuse them instead, so a prompt is never changed behind the user's back.
for index in 1..<Int(CommandLine.argc) {
    guard let raw = CommandLine.unsafeArgv[index], String(validatingCString: raw) != nil else {
        CommandLineFailure.exit(message: "argument \(index) is not valid UTF-8", code: .usage)
    }
}

do {
    var command = try GPT2TUI.parseAsRoot()
    if let asynchronous = command as? AsynchronousCommand {
        try await asynchronous.runAsynchronously()
    } else {
        try command.run()
    }
} catch let failure as CommandLineFailure {
    CommandLineFailure.exit(message: failure.message, code: failure.code)
} catch {
    let code = GPT2TUI.exitCode(for: error)
    if code == .success {
        // --help, --version: ArgumentParser's own text on stdout.
        print(GPT2TUI.fullMessage(for: error))
        exit(0)
    }
    CommandLineFailure.exit(message: GPT2TUI.message(for: error), code: .usage)
}
