import Foundation
import GPT2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 of weights files, remembered in `weights-sha256.json` of the cache folder by path,
/// size and modification time, so a file of several hundred megabytes is hashed once, not on
/// every run. The cache is only a cache: when it is missing, damaged or cannot be written, the
/// digest is computed (and the run still gets it).
public struct WeightsDigestCache: Sendable {
    public let file: URL

    public init(folder: URL) {
        file = folder.appendingPathComponent("weights-sha256.json")
    }

    /// What the cache holds for one weights file.
    struct Entry: Codable, Equatable {
        var size: Int64
        var modified_ns: Int64
        var sha256: String
    }

    /// The digest of the file at `path` (made absolute, links resolved).
    public func sha256(ofFileAt path: String) throws(HistoryError) -> String {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var info = stat()
        guard stat(resolved, &info) == 0 else {
            throw .fileUnreadable(path: resolved, reason: String(cString: strerror(errno)))
        }
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        let size = Int64(info.st_size)
        let modified = Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
        var entries = load()
        if let known = entries[resolved], known.size == size, known.modified_ns == modified {
            return known.sha256
        }
        let digest = try Self.digest(ofFileAt: resolved)
        // Files that are gone are forgotten, so the cache does not grow without end.
        entries = entries.filter { FileManager.default.fileExists(atPath: $0.key) }
        entries[resolved] = Entry(size: size, modified_ns: modified, sha256: digest)
        store(entries)
        return digest
    }

    private func load() -> [String: Entry] {
        guard let data = try? Data(contentsOf: file) else { return [:] }
        return (try? JSONDecoder().decode([String: Entry].self, from: data)) ?? [:]
    }

    private func store(_ entries: [String: Entry]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(entries) else { return }
        try? HistoryStore.createPrivateFolder(file.deletingLastPathComponent())
        guard let output = try? AtomicFileOutput(destination: file, permissions: 0o600) else { return }
        try? output.write(Array(data))
        try? output.commit()
    }

    /// Hashes the file a megabyte at a time.
    static func digest(ofFileAt path: String) throws(HistoryError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .fileUnreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var hash = SHA256()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = read(descriptor, chunk.baseAddress, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw .fileUnreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            hash.update(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
        return hash.finalizeHex()
    }
}
