import Foundation
import GPT2
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The history folder: one JSON file per run (`ID.json`), a `trash/` folder for deleted runs,
/// and `.index`, a cache for listing. Every write goes to a temporary file that is flushed and
/// then renamed into place, so a crash leaves the old file or the new one, never half of one;
/// new runs never take an existing name, so two playgrounds saving at once keep both runs.
/// Files that cannot be read are listed with the reason and never written.
public struct HistoryStore: Sendable {
    public let folder: URL
    public let schema: HistorySchema

    /// Temporary files older than this are a crash's leftovers and are removed when a run is
    /// saved; younger ones may be another writer's file in progress.
    public static let temporaryFileLifetime: TimeInterval = 3600

    public init(folder: URL, schema: HistorySchema = .standard) {
        self.folder = folder.standardizedFileURL
        self.schema = schema
    }

    public var trashFolder: URL { folder.appendingPathComponent("trash", isDirectory: true) }

    public func fileURL(id: String) -> URL {
        folder.appendingPathComponent(id + ".json", isDirectory: false)
    }

    // MARK: Writing

    /// Saves a new run under its id, or under a fresh id of the same time if a file already has
    /// that name. Creates the folder (user-only) when needed.
    /// - Returns: the record as saved (its id may differ from the one given).
    @discardableResult
    public func save(_ record: HistoryRecord) throws(HistoryError) -> HistoryRecord {
        guard HistoryID.isUsableAsFileName(record.id) else {
            throw .invalidValue(field: "id", reason: "\"\(record.id)\" cannot be a file name")
        }
        try Self.createPrivateFolder(folder)
        removeStaleTemporaryFiles()
        var saved = record
        for _ in 0..<16 {
            if try write(saved, replacing: false) { return saved }
            saved.id = HistoryID.make(at: record.createdAt)
        }
        throw .unwritable(path: fileURL(id: record.id).path, reason: "no free file name for the run")
    }

    /// Reads run `id`, lets `change` edit it, and writes it back in one rename. The id, time and
    /// results cannot change this way; an unreadable file is refused, never rewritten.
    @discardableResult
    public func update(id: String, _ change: (inout HistoryRecord) throws(HistoryError) -> Void) throws(HistoryError) -> HistoryRecord {
        let original = try record(id: id)
        var edited = original
        try change(&edited)
        edited.id = original.id
        edited.createdAt = original.createdAt
        guard edited != original else { return original }
        _ = try write(edited, replacing: true)
        return edited
    }

    public func setStarred(_ starred: Bool, id: String) throws(HistoryError) {
        try update(id: id) { $0.starred = starred }
    }

    public func setTitle(_ title: String, id: String) throws(HistoryError) {
        try update(id: id) { $0.title = title }
    }

    /// Replaces the run's tags by `tags`, trimmed, without empty ones or repeats.
    public func setTags(_ tags: [String], id: String) throws(HistoryError) {
        let cleaned = try Self.cleanTags(tags)
        try update(id: id) { $0.tags = cleaned }
    }

    /// Tags as records keep them: trimmed, in the order given, each once; a tag may not be
    /// empty or contain a line break.
    public static func cleanTags(_ tags: [String]) throws(HistoryError) -> [String] {
        var result: [String] = []
        for tag in tags {
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw .invalidValue(field: "tag", reason: "a tag cannot be empty") }
            guard !trimmed.contains(where: \.isNewline) else {
                throw .invalidValue(field: "tag", reason: "a tag cannot contain a line break")
            }
            if !result.contains(trimmed) { result.append(trimmed) }
        }
        return result
    }

    /// Moves run `id` (readable or not) into `trash/`, keeping its bytes; a name already in the
    /// trash gets a numbered suffix.
    /// - Returns: where the file now is.
    @discardableResult
    public func moveToTrash(id: String) throws(HistoryError) -> URL {
        let source = fileURL(id: id)
        guard HistoryID.isUsableAsFileName(id), FileManager.default.fileExists(atPath: source.path) else {
            throw .unknownID(id, folder: folder.path)
        }
        try Self.createPrivateFolder(trashFolder)
        var target = trashFolder.appendingPathComponent(id + ".json")
        var number = 1
        while FileManager.default.fileExists(atPath: target.path) {
            number += 1
            target = trashFolder.appendingPathComponent("\(id).\(number).json")
        }
        guard rename(source.path, target.path) == 0 else {
            if errno == ENOENT { throw .unknownID(id, folder: folder.path) }
            throw .unwritable(path: source.path, reason: String(cString: strerror(errno)))
        }
        Self.syncFolder(trashFolder)
        Self.syncFolder(folder)
        return target
    }

    /// Writes `record` to its file through a temporary file; with `replacing` false, only if no
    /// file has that name (returns false then).
    private func write(_ record: HistoryRecord, replacing: Bool) throws(HistoryError) -> Bool {
        let url = fileURL(id: record.id)
        do {
            let output = try AtomicFileOutput(destination: url, permissions: 0o600)
            try output.write(Array(record.fileContents))
            if replacing {
                try output.commit()
                return true
            }
            return try output.commitIfAbsent()
        } catch let error as ModelFileError {
            if case let .unwritable(_, reason) = error { throw .unwritable(path: url.path, reason: reason) }
            throw .unwritable(path: url.path, reason: "\(error)")
        } catch {
            throw .unwritable(path: url.path, reason: "\(error)")
        }
    }

    /// Creates `folder` (and missing parents) with permissions for the user only; an existing
    /// folder is left as it is.
    static func createPrivateFolder(_ folder: URL) throws(HistoryError) {
        let parent = folder.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: parent.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        if mkdir(folder.path, 0o700) != 0 && errno != EEXIST {
            throw .unwritable(path: folder.path, reason: "cannot create the folder: \(String(cString: strerror(errno)))")
        }
    }

    private static func syncFolder(_ folder: URL) {
        let descriptor = open(folder.path, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            _ = fsync(descriptor)
            close(descriptor)
        }
    }

    /// Removes temporary files a crashed writer left (older than `temporaryFileLifetime`).
    public func removeStaleTemporaryFiles(now: Date = Date()) {
        guard let scan = try? HistoryFolderScan(folder: folder) else { return }
        let limit = Int64((now.timeIntervalSince1970 - Self.temporaryFileLifetime) * 1_000_000_000)
        for file in scan.temporaryFiles where file.modified < limit {
            unlink(folder.appendingPathComponent(file.name).path)
        }
    }

    // MARK: Reading

    /// Run `id` (exactly that id).
    public func record(id: String) throws(HistoryError) -> HistoryRecord {
        try schema.record(from: try fileContents(id: id), id: id)
    }

    /// The file's bytes as stored, for showing or sharing it unchanged.
    public func fileContents(id: String) throws(HistoryError) -> Data {
        let url = fileURL(id: id)
        guard HistoryID.isUsableAsFileName(id), FileManager.default.fileExists(atPath: url.path) else {
            throw .unknownID(id, folder: folder.path)
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .unreadable(id: id, reason: "cannot read the file: \(error.localizedDescription)")
        }
    }

    /// The id of the one run whose id is `text` or starts with it (readable or not).
    public func resolve(_ text: String) throws(HistoryError) -> String {
        let ids = try HistoryFolderScan(folder: folder).records.map { String($0.name.dropLast(".json".count)) }
        if ids.contains(text) { return text }
        let matches = text.isEmpty ? [] : ids.filter { $0.hasPrefix(text) }.sorted()
        switch matches.count {
        case 0: throw .unknownID(text, folder: folder.path)
        case 1: return matches[0]
        default: throw .ambiguousID(text, matches: matches)
        }
    }

    /// Every run of the folder, newest first, from the index where it is current; files that
    /// are new or changed since are read (several at once) and the index rewritten.
    public func catalog() throws(HistoryError) -> HistoryCatalog {
        let scan = try HistoryFolderScan(folder: folder)
        let indexURL = folder.appendingPathComponent(HistoryIndex.fileName)
        let cached = (try? Data(contentsOf: indexURL)).flatMap { HistoryIndex.decode(Array($0)) } ?? [:]
        var files: [IndexedFile?] = scan.records.map { stamp in
            cached[stamp.name].flatMap { $0.stamp == stamp ? $0 : nil }
        }
        let stale = files.indices.filter { files[$0] == nil }
        if !stale.isEmpty {
            let read = Mutex([Int: IndexedFile]())
            DispatchQueue.concurrentPerform(iterations: stale.count) { i in
                let file = IndexedFile(reading: scan.records[stale[i]], in: folder, schema: schema)
                read.withLock { $0[stale[i]] = file }
            }
            read.withLock { for (index, file) in $0 { files[index] = file } }
        }
        let current = files.compactMap { $0 }
        if !stale.isEmpty || cached.count != current.count {
            writeIndex(current, to: indexURL)
        }
        return HistoryCatalog(files: current)
    }

    /// Writes the index; it is only a cache, so a folder that cannot take it is no error.
    private func writeIndex(_ files: [IndexedFile], to url: URL) {
        guard FileManager.default.fileExists(atPath: folder.path),
              let output = try? AtomicFileOutput(destination: url, permissions: 0o600)
        else { return }
        try? output.write(HistoryIndex.encode(files))
        try? output.commit()
    }
}
