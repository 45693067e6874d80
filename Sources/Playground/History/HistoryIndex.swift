import Foundation
import GPT2

/// What the history list needs of one file, as the index keeps it.
struct IndexedFile: Sendable {
    var stamp: HistoryFileStamp
    var entry: HistoryEntry
    /// Newest-first order: the run's time, or for an unreadable file the time in its name
    /// (else its modification time).
    var sortKey: Date
    /// Title, tags, model, prompt and every sequence's text, folded for search
    /// (`HistorySearchText`); empty for an unreadable file.
    var searchText: [UInt8]

    /// Reads and parses the file `stamp` names.
    init(reading stamp: HistoryFileStamp, in folder: URL, schema: HistorySchema) {
        self.stamp = stamp
        let id = String(stamp.name.dropLast(".json".count))
        do {
            let data: Data
            do {
                data = try Data(contentsOf: folder.appendingPathComponent(stamp.name))
            } catch {
                throw HistoryError.unreadable(id: id, reason: "cannot read the file: \(error.localizedDescription)")
            }
            let record = try schema.record(from: data, id: id)
            entry = .run(HistorySummary(record))
            sortKey = record.createdAt
            searchText = HistorySearchText.fold(record)
        } catch {
            let reason: String
            if case let .unreadable(_, why) = error as? HistoryError { reason = why } else { reason = "\(error)" }
            entry = .unreadable(UnreadableHistoryFile(id: id, reason: reason))
            sortKey = HistoryTimestamp.parseCompact(prefixOf: id)
                ?? Date(timeIntervalSince1970: Double(stamp.modified) / 1_000_000_000)
            searchText = []
        }
    }

    init(stamp: HistoryFileStamp, entry: HistoryEntry, sortKey: Date, searchText: [UInt8]) {
        self.stamp = stamp
        self.entry = entry
        self.sortKey = sortKey
        self.searchText = searchText
    }
}

/// The index file, `.index` in the history folder: a cache of every file's summary and search
/// text, keyed by the file's stamp, so that listing 10,000 runs reads one file instead of
/// 10,000. It is never the truth: a missing, damaged or outdated index is rebuilt from the
/// record files, and a file whose stamp changed is read again.
///
/// Layout (little-endian): the magic line, the index format and record schema versions (u32
/// each), the number of files (u32), then per file its stamp (name, inode u64, size i64,
/// mtime and ctime in ns, i64 each), sort time (ms, i64) and a kind byte: 0 = run (created_at
/// ms, title, model, mode, prompt and output previews, starred byte, tags, sequence count u32,
/// search text), 1 = unreadable (reason). Strings and byte runs are a u32 length and the bytes.
enum HistoryIndex {
    static let fileName = ".index"
    static let magic = Array("gpt2-tui history index\n".utf8)
    static let formatVersion: UInt32 = 1

    static func encode(_ files: [IndexedFile]) -> [UInt8] {
        var out = IndexWriter()
        out.bytes.append(contentsOf: magic)
        out.u32(formatVersion)
        out.u32(UInt32(HistoryRecord.schemaVersion))
        out.u32(UInt32(files.count))
        for file in files {
            out.string(file.stamp.name)
            out.u64(file.stamp.inode)
            out.i64(file.stamp.size)
            out.i64(file.stamp.modified)
            out.i64(file.stamp.changed)
            out.i64(milliseconds(file.sortKey))
            switch file.entry {
            case .run(let s):
                out.bytes.append(0)
                out.i64(milliseconds(s.createdAt))
                out.string(s.title)
                out.string(s.modelName)
                out.string(s.mode.rawValue)
                out.string(s.promptPreview)
                out.string(s.outputPreview)
                out.bytes.append(s.starred ? 1 : 0)
                out.u32(UInt32(s.tags.count))
                s.tags.forEach { out.string($0) }
                out.u32(UInt32(s.sequenceCount))
                out.run(file.searchText)
            case .unreadable(let u):
                out.bytes.append(1)
                out.string(u.reason)
            }
        }
        return out.bytes
    }

    /// The files of an index, by name; nil when the bytes are not a complete index of this
    /// format and schema.
    static func decode(_ bytes: [UInt8]) -> [String: IndexedFile]? {
        var reader = IndexReader(bytes: bytes)
        guard reader.take(magic.count).map(Array.init) == magic,
              reader.u32() == formatVersion, reader.u32() == UInt32(HistoryRecord.schemaVersion),
              let count = reader.u32()
        else { return nil }
        var files: [String: IndexedFile] = [:]
        files.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let name = reader.string(), name.hasSuffix(".json"), let inode = reader.u64(), let size = reader.i64(),
                  let modified = reader.i64(), let changed = reader.i64(), let sortMillis = reader.i64(), let kind = reader.take(1)?.first
            else { return nil }
            let stamp = HistoryFileStamp(name: name, inode: inode, size: size, modified: modified, changed: changed)
            let id = String(name.dropLast(".json".count))
            let entry: HistoryEntry
            var searchText: [UInt8] = []
            switch kind {
            case 0:
                guard let created = reader.i64(), let title = reader.string(), let model = reader.string(),
                      let modeName = reader.string(), let mode = DecodingMode(rawValue: modeName),
                      let prompt = reader.string(), let output = reader.string(),
                      let starred = reader.take(1)?.first, let tagCount = reader.u32(), tagCount <= 100_000
                else { return nil }
                var tags: [String] = []
                for _ in 0..<tagCount {
                    guard let tag = reader.string() else { return nil }
                    tags.append(tag)
                }
                guard let sequences = reader.u32(), let text = reader.take(reader.u32()) else { return nil }
                searchText = Array(text)
                entry = .run(HistorySummary(
                    id: id, createdAt: date(created), title: title, modelName: model, mode: mode,
                    promptPreview: prompt, outputPreview: output, starred: starred == 1, tags: tags,
                    sequenceCount: Int(sequences)))
            case 1:
                guard let reason = reader.string() else { return nil }
                entry = .unreadable(UnreadableHistoryFile(id: id, reason: reason))
            default:
                return nil
            }
            files[name] = IndexedFile(stamp: stamp, entry: entry, sortKey: date(sortMillis), searchText: searchText)
        }
        guard reader.atEnd else { return nil }
        return files
    }

    private static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}

private struct IndexWriter {
    var bytes: [UInt8] = []

    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }
    mutating func run(_ run: [UInt8]) {
        u32(UInt32(run.count))
        bytes.append(contentsOf: run)
    }
    mutating func string(_ text: String) { run(Array(text.utf8)) }
}

private struct IndexReader {
    let bytes: [UInt8]
    var position = 0

    var atEnd: Bool { position == bytes.count }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count - position >= count else { return nil }
        defer { position += count }
        return bytes[position..<position + count]
    }

    mutating func take(_ count: UInt32?) -> ArraySlice<UInt8>? {
        count.flatMap { take(Int($0)) }
    }

    mutating func u64() -> UInt64? {
        guard let slice = take(8) else { return nil }
        return slice.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func u32() -> UInt32? {
        guard let slice = take(4) else { return nil }
        return slice.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func i64() -> Int64? { u64().map { Int64(bitPattern: $0) } }

    mutating func string() -> String? {
        take(u32()).map { String(decoding: $0, as: UTF8.self) }
    }
}
