import Foundation

/// Where history and the digest cache live, following the XDG base directory rules (a
/// relative `XDG_*` value is ignored, as the specification says).
public enum HistoryLocation {
    /// `$GPT2_TUI_HISTORY`, else `$XDG_DATA_HOME/gpt2-tui/history`, else
    /// `~/.local/share/gpt2-tui/history`.
    public static func historyFolder(environment: [String: String]) -> URL {
        if let explicit = environment["GPT2_TUI_HISTORY"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit, isDirectory: true)
        }
        return base("XDG_DATA_HOME", default: ".local/share", environment: environment)
            .appendingPathComponent("gpt2-tui/history", isDirectory: true)
    }

    /// `$XDG_CACHE_HOME/gpt2-tui`, else `~/.cache/gpt2-tui`.
    public static func cacheFolder(environment: [String: String]) -> URL {
        base("XDG_CACHE_HOME", default: ".cache", environment: environment)
            .appendingPathComponent("gpt2-tui", isDirectory: true)
    }

    private static func base(_ variable: String, default relative: String, environment: [String: String]) -> URL {
        if let value = environment[variable], value.hasPrefix("/") {
            return URL(fileURLWithPath: value, isDirectory: true)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(relative, isDirectory: true)
    }
}
