import Foundation
import Testing
@testable import Playground

/// Compares a screen with `Snapshots/<name>.txt` (its text, a line of the size, then the style
/// map). `GPT2_TUI_RECORD_SNAPSHOTS=1 swift test` writes the files anew instead.
func expectSnapshot(_ screen: Screen, named name: String, styles: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Snapshots")
    let file = folder.appendingPathComponent("\(name).txt")
    var rendered = screen.text + "\n--- \(screen.width)x\(screen.height) cursor \(screen.cursor.map { "\($0.row),\($0.column)" } ?? "hidden")\n"
    if styles { rendered += screen.styleMap + "\n" }
    if ProcessInfo.processInfo.environment["GPT2_TUI_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? Data(rendered.utf8).write(to: file)
        return
    }
    guard let data = try? Data(contentsOf: file), let expected = String(data: data, encoding: .utf8) else {
        Issue.record("no snapshot \(file.lastPathComponent); record it with GPT2_TUI_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    if rendered != expected {
        Issue.record("screen differs from \(file.lastPathComponent):\n\(rendered)", sourceLocation: sourceLocation)
    }
}
