import Foundation
import Testing
@testable import Playground

@Suite struct ThemeCatalogTests {
    @Test func userThemesComeBeforeProjectThemes() throws {
        let scratch = try ThemeScratchFolder()
        defer { scratch.remove() }
        try scratch.write(#"{ "description": "mine" }"#, to: "config/gpt2-tui/themes/light.json")
        try scratch.write(#"{ "description": "mine too" }"#, to: "config/gpt2-tui/themes/solar.json")
        try scratch.write(#"{ "description": "project" }"#, to: "project/themes/light.json")
        try scratch.write(#"{ "description": "project" }"#, to: "project/themes/mono.json")
        let catalog = ThemeCatalog(
            environment: ["XDG_CONFIG_HOME": scratch.url.appending(path: "config").path,
                          ThemeCatalog.folderVariable: scratch.url.appending(path: "project/themes").path],
            executable: nil)
        #expect(catalog.names == ["default", "light", "mono", "solar"])
        #expect(try catalog.theme(named: "light").description == "mine")
        #expect(try catalog.theme(named: "mono").description == "project")
        #expect(try catalog.theme(named: "solar").name == "solar")
        #expect(try catalog.theme(named: "default") == .builtInDefault)
    }

    @Test func configFolderFollowsXDG() {
        #expect(ThemeCatalog.configFolder(environment: ["XDG_CONFIG_HOME": "/x/conf", "HOME": "/h"])?.path == "/x/conf/gpt2-tui")
        #expect(ThemeCatalog.configFolder(environment: ["HOME": "/h"])?.path == "/h/.config/gpt2-tui")
        // XDG asks to ignore a relative or empty XDG_CONFIG_HOME.
        #expect(ThemeCatalog.configFolder(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h"])?.path == "/h/.config/gpt2-tui")
        #expect(ThemeCatalog.configFolder(environment: ["XDG_CONFIG_HOME": ""]) == nil)
        #expect(ThemeCatalog.configFolder(environment: [:]) == nil)
    }

    @Test func projectFolderIsFoundAboveTheExecutable() throws {
        let scratch = try ThemeScratchFolder()
        defer { scratch.remove() }
        try scratch.write("{}", to: "repo/themes/default.json")
        try scratch.write("", to: "repo/.build/x86_64-unknown-linux-gnu/debug/gpt2-tui")
        try scratch.write("{}", to: "prefix/share/gpt2-tui/themes/default.json")
        try scratch.write("", to: "prefix/bin/gpt2-tui")
        try scratch.write("", to: "elsewhere/bin/gpt2-tui")
        try FileManager.default.createDirectory(at: scratch.url.appending(path: "elsewhere/themes"), withIntermediateDirectories: true)

        let build = ThemeCatalog.projectFolder(near: scratch.url.appending(path: "repo/.build/x86_64-unknown-linux-gnu/debug/gpt2-tui"))
        #expect(build?.resolvingSymlinksInPath().path == scratch.url.appending(path: "repo/themes").resolvingSymlinksInPath().path)
        let installed = ThemeCatalog.projectFolder(near: scratch.url.appending(path: "prefix/bin/gpt2-tui"))
        #expect(installed?.resolvingSymlinksInPath().path
            == scratch.url.appending(path: "prefix/share/gpt2-tui/themes").resolvingSymlinksInPath().path)
        // A themes folder without a default.json is not the project's.
        #expect(ThemeCatalog.projectFolder(near: scratch.url.appending(path: "elsewhere/bin/gpt2-tui")) == nil)
    }

    @Test func theBundledThemesAreFoundFromABuildExecutable() throws {
        let executable = bundledThemesFolder.deletingLastPathComponent().appending(path: ".build/debug/gpt2-tui")
        let catalog = ThemeCatalog(environment: [:], executable: executable)
        #expect(catalog.names == ["default", "high-contrast", "light", "mono"])
        #expect(try catalog.theme(named: "mono")[.statusBar].reverse)
    }

    @Test func anUnknownNameListsTheAvailableOnes() throws {
        let catalog = ThemeCatalog(folders: [bundledThemesFolder])
        #expect(throws: ThemeError.notFound(name: "solarized", available: ["default", "high-contrast", "light", "mono"])) {
            try catalog.theme(named: "solarized")
        }
        #expect(ThemeError.notFound(name: "x", available: ["default", "light"]).description
            == #"no theme named "x" (available: default, light)"#)
    }

    @Test func aBadThemeFallsBackToTheDefaultWithTheReason() throws {
        let scratch = try ThemeScratchFolder()
        defer { scratch.remove() }
        try scratch.write(#"{ "styles": { "title": { "bold": 1 } } }"#, to: "themes/broken.json")
        let catalog = ThemeCatalog(folders: [scratch.url.appending(path: "themes")])
        let (theme, problem) = catalog.themeOrDefault(named: "broken")
        #expect(theme == .builtInDefault)
        #expect(problem?.description.hasSuffix("broken.json: styles.title.bold: expected true or false") == true)
        let (fine, none) = ThemeCatalog(folders: [bundledThemesFolder]).themeOrDefault(named: "light")
        #expect(fine.name == "light" && none == nil)
    }

    @Test func aPathNamesAThemeFile() throws {
        let scratch = try ThemeScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write(#"{ "description": "by path" }"#, to: "anywhere/ocean.json")
        let catalog = ThemeCatalog(folders: [])
        #expect(try catalog.theme(named: file.path).name == "ocean")
        #expect(catalog.names == ["default"])
        #expect(try catalog.theme(named: "default") == .builtInDefault)
    }
}
