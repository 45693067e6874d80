import Foundation
import Testing
@testable import Playground

@Suite struct ThemeFileTests {
    private func decode(_ json: String) throws(ThemeError) -> Theme {
        try ThemeFile.decode(Data(json.utf8), name: "test", file: "test.json")
    }

    private func problem(_ json: String) -> String {
        do {
            _ = try decode(json)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func everyBundledThemeLoads() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: bundledThemesFolder.path).filter { $0.hasSuffix(".json") }
        #expect(Set(files).isSuperset(of: ["default.json", "light.json", "high-contrast.json", "mono.json"]))
        for file in files {
            let theme = try ThemeFile.load(bundledThemesFolder.appending(path: file))
            #expect(theme.name + ".json" == file)
            #expect(!theme.description.isEmpty, "\(file) has a description")
        }
    }

    @Test func defaultFileIsTheBuiltInTheme() throws {
        let theme = try ThemeFile.load(bundledThemesFolder.appending(path: "default.json"))
        #expect(theme == Theme.builtInDefault)
    }

    @Test func bundledThemesStyleEverySlotThemselves() throws {
        // Each bundled file is complete, so none depends on what the built-in theme looks like.
        for name in ["default", "light", "high-contrast", "mono"] {
            let text = try String(contentsOf: bundledThemesFolder.appending(path: "\(name).json"), encoding: .utf8)
            for slot in StyleSlot.allCases {
                #expect(text.contains("\"\(slot.rawValue)\":"), "\(name).json styles \(slot)")
            }
        }
    }

    @Test func builtInThemeStylesEverySlot() {
        for slot in StyleSlot.allCases {
            #expect(Theme.builtInDefault.styles[slot] != nil, "\(slot)")
        }
    }

    @Test func monoThemeHasNoColours() throws {
        let mono = try ThemeFile.load(bundledThemesFolder.appending(path: "mono.json"))
        for slot in StyleSlot.allCases {
            #expect(mono[slot].foreground == .default && mono[slot].background == .default, "\(slot)")
        }
        #expect(mono[.statusBar].reverse && mono[.panelFocused].reverse && mono[.promptEcho].dim)
    }

    @Test func stylesAreReadWithEveryAttribute() throws {
        let theme = try decode("""
            { "description": "d", "styles": { "sliderFill": { "foreground": "#5fafff", "background": 17,
              "bold": true, "dim": true, "italic": true, "underline": true, "reverse": true } } }
            """)
        #expect(theme.name == "test" && theme.description == "d")
        #expect(theme[.sliderFill] == TextStyle(
            foreground: .rgb(red: 0x5F, green: 0xAF, blue: 0xFF), background: .palette(17),
            bold: true, dim: true, italic: true, underline: true, reverse: true))
    }

    @Test func slotsLeftOutComeFromTheBuiltInTheme() throws {
        let theme = try decode(#"{ "styles": { "title": { "bold": true } } }"#)
        #expect(theme[.title] == TextStyle(bold: true))
        #expect(theme[.sliderFill] == Theme.builtInDefault[.sliderFill])
        #expect(try decode("{}") == Theme(name: "test", styles: [:]))
    }

    @Test func coloursLeftOutAreTheNormalStyles() throws {
        let theme = try decode("""
            { "styles": { "normal": { "foreground": "black", "background": "#fafafa" },
                          "title": { "bold": true }, "dim": { "background": "default" } } }
            """)
        #expect(theme[.title] == TextStyle(foreground: .palette(0), background: .hex(0xFAFAFA), bold: true))
        #expect(theme[.dim].background == .default)
        #expect(theme[.dim].foreground == .palette(0))
        // A slot the file leaves out keeps its own colours and takes the normal ones for the rest.
        #expect(theme[.promptText] == TextStyle(foreground: .palette(0), background: .hex(0xFAFAFA)))
        #expect(theme[.statusBar].background == Theme.builtInDefault[.statusBar].background)
    }

    @Test func nullIsLeftOut() throws {
        let theme = try decode(#"{ "description": null, "styles": { "title": { "bold": null, "foreground": null } } }"#)
        #expect(theme[.title] == TextStyle())
    }

    @Test func coloursInEveryForm() {
        #expect(TerminalColor(themeText: "default") == .default)
        #expect(TerminalColor(themeText: "#00ff7F") == .rgb(red: 0, green: 255, blue: 127))
        #expect(TerminalColor(themeText: "red") == .palette(1))
        #expect(TerminalColor(themeText: "White") == .palette(7))
        #expect(TerminalColor(themeText: "bright-blue") == .palette(12))
        #expect(TerminalColor(themeText: "grey") == .palette(8))
        for bad in ["#fff", "#12345g", "#+12345", "blue-bright", "bright-", "", "256", "navy"] {
            #expect(TerminalColor(themeText: bad) == nil, "\(bad)")
        }
    }

    @Test func coloursAreWrittenAsThemeFilesWriteThem() {
        let colors: [TerminalColor] = [.default, .palette(3), .palette(9), .palette(200), .hex(0x0A0B0C)]
        #expect(colors.map(\.description) == ["default", "yellow", "bright-red", "200", "#0a0b0c"])
        for color in colors where color != .palette(200) {
            #expect(TerminalColor(themeText: color.description) == color)
        }
    }

    @Test func unknownFieldsAreNamed() {
        #expect(problem(#"{ "name": "x" }"#) == "theme file test.json: name: unknown field (expected description, styles)")
        #expect(problem(#"{ "styles": { "sliderFil": {} } }"#)
            == "theme file test.json: styles.sliderFil: unknown style slot (the slots are listed in themes/README.md)")
        #expect(problem(#"{ "styles": { "title": { "fg": "red" } } }"#).hasPrefix("theme file test.json: styles.title.fg: unknown field"))
    }

    @Test func badValuesAreNamedWithTheirField() {
        #expect(problem(##"{ "styles": { "title": { "foreground": "#12345" } } }"##)
            == ##"theme file test.json: styles.title.foreground: "#12345" is not a colour; use "#rrggbb", an ANSI name such as "bright-blue", a palette number 0–255, or "default""##)
        #expect(problem(#"{ "styles": { "title": { "background": 300 } } }"#)
            .hasPrefix("theme file test.json: styles.title.background: 300 is not a palette number"))
        #expect(problem(#"{ "styles": { "title": { "background": 1.5 } } }"#)
            .hasPrefix("theme file test.json: styles.title.background: not a colour"))
        #expect(problem(#"{ "styles": { "title": { "bold": "yes" } } }"#) == "theme file test.json: styles.title.bold: expected true or false")
        #expect(problem(#"{ "styles": { "title": [] } }"#).hasPrefix("theme file test.json: styles.title: expected an object"))
        #expect(problem(#"{ "description": 3 }"#) == "theme file test.json: description: expected a string")
        #expect(problem(#"[]"#).hasPrefix("theme file test.json: (top level): expected an object"))
    }

    @Test func brokenJSONSaysWhereInOneLine() {
        let message = problem("{\n  \"styles\": {\n    \"title\": { \"bold\": tru }\n  }\n}\n")
        #expect(message == "theme file test.json is not valid JSON: Invalid value at line 3, column 27.")
        #expect(problem(" \n") == "theme file test.json is not valid JSON: the file is empty")
        #expect(problem("{\"styles\": {}} {").hasPrefix("theme file test.json is not valid JSON: "))
        #expect(!problem("{\"styles\": [}").contains("\n"))
    }

    @Test func unreadableFilesSayWhy() throws {
        #expect(throws: ThemeError.unreadable(file: "/nonexistent-folder/none.json", reason: "no such file")) {
            try ThemeFile.load(URL(fileURLWithPath: "/nonexistent-folder/none.json"))
        }
        let scratch = try ThemeScratchFolder()
        defer { scratch.remove() }
        #expect(throws: ThemeError.unreadable(file: scratch.url.path, reason: "it is a folder")) {
            try ThemeFile.load(scratch.url)
        }
        #expect(ThemeError.unreadable(file: "f.json", reason: "no such file").description == "cannot read theme file f.json: no such file")
    }
}
