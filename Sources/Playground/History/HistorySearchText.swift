import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Case-insensitive substring search over UTF-8 bytes: text and query are lower-cased the same
/// way once, so matching is a byte comparison (a few milliseconds over 10,000 runs' prompts and
/// outputs).
enum HistorySearchText {
    /// The searchable text of a run: title, tags, model name, prompt and every sequence.
    static func fold(_ record: HistoryRecord) -> [UInt8] {
        var parts = [record.title, record.tags.joined(separator: " "), record.model.name, record.prompt]
        parts.append(contentsOf: record.sequences.map(\.text))
        return fold(parts.joined(separator: "\n"))
    }

    static func fold(_ text: String) -> [UInt8] {
        Array(text.lowercased().utf8)
    }

    /// The query's words, folded; a run matches when it contains every one.
    static func terms(_ query: String) -> [[UInt8]] {
        query.split(whereSeparator: \.isWhitespace).map { fold(String($0)) }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                guard let base = hay.baseAddress, let pinBase = pin.baseAddress else { return false }
                let last = hay.count - pin.count
                var offset = 0
                while offset <= last {
                    guard let found = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
                    let at = base.distance(to: UnsafeRawPointer(found))
                    if memcmp(base + at, pinBase, pin.count) == 0 { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }
}
