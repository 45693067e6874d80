import Foundation

/// Where themes are found, by name: the user's themes (`$XDG_CONFIG_HOME/gpt2-tui/themes/`,
/// default `~/.config/gpt2-tui/themes/`) first, then the project's `themes/` folder
/// (`$GPT2_TUI_THEMES`, else found by walking up from the executable), then the built-in
/// default theme. A theme `NAME` is the file `NAME.json` in one of those folders.
public struct ThemeCatalog: Sendable {
    /// The environment variable naming the project's themes folder.
    public static let folderVariable = "GPT2_TUI_THEMES"

    /// The folders searched, in order.
    public var folders: [URL]

    public init(folders: [URL]) {
        self.folders = folders
    }

    /// The catalog of the user's and the project's folders, as `environment` and the
    /// executable's place say.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Bundle.main.executableURL
    ) {
        var folders: [URL] = []
        if let config = Self.configFolder(environment: environment) {
            folders.append(config.appending(path: "themes", directoryHint: .isDirectory))
        }
        if let folder = environment[Self.folderVariable], !folder.isEmpty {
            folders.append(URL(fileURLWithPath: (folder as NSString).expandingTildeInPath, isDirectory: true))
        } else if let executable, let project = Self.projectFolder(near: executable) {
            folders.append(project)
        }
        self.init(folders: folders)
    }

    /// The playground's configuration folder: `$XDG_CONFIG_HOME/gpt2-tui`, else
    /// `~/.config/gpt2-tui`; nil when neither variable says where (XDG asks for an absolute
    /// `XDG_CONFIG_HOME` and to ignore any other).
    public static func configFolder(environment: [String: String]) -> URL? {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return URL(fileURLWithPath: config, isDirectory: true).appending(path: "gpt2-tui", directoryHint: .isDirectory)
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home, isDirectory: true).appending(path: ".config/gpt2-tui", directoryHint: .isDirectory)
    }

    /// The project's themes folder near `executable`: the first `themes/` (or, for an installed
    /// copy, `share/gpt2-tui/themes/`) holding a `default.json`, in the executable's folder or
    /// one above it. A build's executable sits in `.build/…/` under the project.
    public static func projectFolder(near executable: URL) -> URL? {
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        while true {
            for candidate in ["themes", "share/gpt2-tui/themes"] {
                let themes = folder.appending(path: candidate, directoryHint: .isDirectory)
                if FileManager.default.fileExists(atPath: themes.appending(path: "default.json").path) { return themes }
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The names of every theme found, sorted; "default" is always one.
    public var names: [String] {
        var names: Set<String> = ["default"]
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for file in files where file.hasSuffix(".json") && file.count > 5 {
                names.insert(String(file.dropLast(5)))
            }
        }
        return names.sorted()
    }

    /// The theme called `name`, or in the file `name` when it is a path (holds a "/" or ends in
    /// ".json"). The first folder holding `name.json` decides: a bad file there is an error, not
    /// a reason to look further.
    public func theme(named name: String) throws(ThemeError) -> Theme {
        if name.contains("/") || name.hasSuffix(".json") {
            return try ThemeFile.load(URL(fileURLWithPath: (name as NSString).expandingTildeInPath))
        }
        for folder in folders {
            let file = folder.appending(path: name + ".json")
            if FileManager.default.fileExists(atPath: file.path) { return try ThemeFile.load(file) }
        }
        if name == Theme.builtInDefault.name { return .builtInDefault }
        throw .notFound(name: name, available: names)
    }

    /// The theme called `name`, else the built-in default and why `name` could not be had (for
    /// the caller to show).
    public func themeOrDefault(named name: String) -> (theme: Theme, problem: ThemeError?) {
        do {
            return (try theme(named: name), nil)
        } catch {
            return (.builtInDefault, error)
        }
    }
}
