import Foundation
import Testing
@testable import Playground

/// Each bundled theme as a terminal of each colour depth draws it: every style slot's colours
/// and attributes, compared with a recorded snapshot, beside the finished 80×24 screen whose
/// cells carry those slots (the `finished-80x24` snapshot).
@Suite struct ThemeSnapshotTests {
    static let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes")

    @Test(arguments: ["default", "light", "high-contrast", "mono"])
    func themeAtEveryDepth(name: String) throws {
        let theme = try ThemeCatalog(folders: [Self.themesFolder]).theme(named: name)
        var lines: [String] = []
        for depth in [ColorDepth.trueColor, .palette256, .ansi8, .none] {
            lines.append("[\(depth)]")
            for slot in StyleSlot.allCases {
                let style = theme[slot].downgraded(to: depth, normal: theme[.normal])
                var attributes: [String] = []
                if style.bold { attributes.append("bold") }
                if style.dim { attributes.append("dim") }
                if style.italic { attributes.append("italic") }
                if style.underline { attributes.append("underline") }
                if style.reverse { attributes.append("reverse") }
                lines.append("\(slot.rawValue): fg \(style.foreground) bg \(style.background) \(attributes.joined(separator: " "))")
            }
        }
        var screen = Screen(width: 100, height: lines.count)
        for (row, line) in lines.enumerated() { screen.put(line, row: row, column: 0, style: .normal) }
        expectSnapshot(screen, named: "theme-\(name)", styles: false)
    }
}
