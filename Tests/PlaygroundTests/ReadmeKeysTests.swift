import Foundation
import Testing
@testable import Playground

/// The README's key table is the key table: every action, its default keys and what it does.
@Suite struct ReadmeKeysTests {
    static func table() -> String {
        var lines: [String] = []
        for context in KeyContext.allCases {
            lines.append("")
            lines.append("**\(context.title)**")
            lines.append("")
            lines.append("| keys | action (keys.json name) | what it does |")
            lines.append("|---|---|---|")
            for action in Action.allCases where action.context == context {
                let keys = (Keymap.standard.keys[action] ?? []).map { "`\($0.description)`" }.joined(separator: " ")
                lines.append("| \(keys) | `\(action.rawValue)` | \(action.summary.replacingOccurrences(of: "|", with: "\\|")) |")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `GPT2_TUI_WRITE_README_KEYS=1` writes the table into the README between its markers.
    @Test func readmeListsEveryKey() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        var text = try String(contentsOf: readme, encoding: .utf8)
        let expected = Self.table()
        if ProcessInfo.processInfo.environment["GPT2_TUI_WRITE_README_KEYS"] == "1",
           let start = text.range(of: "swift test --filter ReadmeKeysTests -->"), let end = text.range(of: "<!-- /keys -->") {
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: expected + "\n\n")
            try Data(text.utf8).write(to: readme)
        }
        #expect(text.contains(expected), "README.md does not list every key; write it with GPT2_TUI_WRITE_README_KEYS=1")
    }
}
