import Foundation

/// Run ids, which are also file names: the UTC time to the millisecond and 8 random hexadecimal
/// digits (`20261122T101530.123Z-1a2b3c4d`), so that names sort by time and two playgrounds
/// saving in the same millisecond still choose different names.
public enum HistoryID {
    public static func make(at date: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(at: date, using: &generator)
    }

    public static func make(at date: Date, using generator: inout some RandomNumberGenerator) -> String {
        let random = UInt32.random(in: 0...UInt32.max, using: &generator)
        let hex = String(random, radix: 16)
        return HistoryTimestamp.compact(date) + "-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Whether `id` can name a file in the history folder: not empty, no `/` or NUL, not hidden
    /// (hidden names are the folder's temporary and index files).
    public static func isUsableAsFileName(_ id: String) -> Bool {
        !id.isEmpty && !id.hasPrefix(".") && !id.contains("/") && !id.contains("\0") && id.utf8.count <= 200
    }
}
