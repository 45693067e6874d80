import Foundation

/// A failure reported as one line on stderr with an exit code: 2 for usage errors (a wrong flag,
/// a value out of range, a malformed request), 1 for runtime errors (a missing or corrupt file).
struct CommandLineFailure: Error {
    enum Code: Int32 {
        case runtime = 1
        case usage = 2
    }

    var message: String
    var code: Code

    static func usage(_ message: String) -> Self { .init(message: message, code: .usage) }
    static func runtime(_ message: String) -> Self { .init(message: message, code: .runtime) }

    static func exit(message: String, code: Code) -> Never {
        let line = message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? message
        FileHandle.standardError.write(Data("gpt2-tui: error: \(line)\n".utf8))
        Foundation.exit(code.rawValue)
    }
}
