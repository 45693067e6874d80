import Foundation
import GPT2
import Testing
@testable import Playground
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct WeightsDigestCacheTests {
    @Test func theDigestIsComputedOnceAndRememberedBySizeAndTime() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let weights = scratch.root.appendingPathComponent("model.gguf")
        let bytes = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) })
        try bytes.write(to: weights)
        let cache = WeightsDigestCache(folder: scratch.root.appendingPathComponent("cache/gpt2-tui"))
        let digest = try cache.sha256(ofFileAt: weights.path)
        #expect(digest == SHA256.hex(bytes))
        #expect(FileManager.default.fileExists(atPath: cache.file.path))

        // Same size and time to the nanosecond, other bytes: the cache answers without reading the file.
        var info = stat()
        #expect(stat(weights.path, &info) == 0)
        #if canImport(Darwin)
        var times = [info.st_atimespec, info.st_mtimespec]
        #else
        var times = [info.st_atim, info.st_mtim]
        #endif
        var other = bytes
        other[0] ^= 0xff
        try other.write(to: weights)
        #expect(utimensat(AT_FDCWD, weights.path, &times, 0) == 0)
        #expect(try cache.sha256(ofFileAt: weights.path) == digest)
        // A new time: hashed again.
        times[1].tv_sec += 10
        #expect(utimensat(AT_FDCWD, weights.path, &times, 0) == 0)
        #expect(try cache.sha256(ofFileAt: weights.path) == SHA256.hex(other))
    }

    @Test func aDamagedCacheIsIgnoredAndAMissingFileIsOneError() throws {
        let scratch = try HistoryScratch()
        defer { scratch.remove() }
        let weights = scratch.root.appendingPathComponent("w.bin")
        try Data("abc".utf8).write(to: weights)
        let cache = WeightsDigestCache(folder: scratch.root)
        try Data("{not json".utf8).write(to: cache.file)
        #expect(try cache.sha256(ofFileAt: weights.path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // A file that is gone is dropped from the cache when another is added.
        let other = scratch.root.appendingPathComponent("other.bin")
        try Data().write(to: other)
        try FileManager.default.removeItem(at: weights)
        #expect(try cache.sha256(ofFileAt: other.path) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let kept = try JSONSerialization.jsonObject(with: Data(contentsOf: cache.file)) as? [String: Any]
        #expect(kept.map { Array($0.keys) } == [other.resolvingSymlinksInPath().path])
        #expect(throws: HistoryError.fileUnreadable(path: scratch.root.appendingPathComponent("none").path, reason: "No such file or directory")) {
            try cache.sha256(ofFileAt: scratch.root.appendingPathComponent("none").path)
        }
    }

    @Test func foldersFollowTheXDGVariables() {
        let home = ["HOME": "/home/u"]
        #expect(HistoryLocation.historyFolder(environment: home).path == "/home/u/.local/share/gpt2-tui/history")
        #expect(HistoryLocation.historyFolder(environment: home.merging(["XDG_DATA_HOME": "/data"]) { $1 }).path == "/data/gpt2-tui/history")
        #expect(HistoryLocation.historyFolder(environment: home.merging(["XDG_DATA_HOME": "relative"]) { $1 }).path == "/home/u/.local/share/gpt2-tui/history")
        #expect(HistoryLocation.historyFolder(environment: home.merging(["GPT2_TUI_HISTORY": "/h", "XDG_DATA_HOME": "/data"]) { $1 }).path == "/h")
        #expect(HistoryLocation.cacheFolder(environment: home).path == "/home/u/.cache/gpt2-tui")
        #expect(HistoryLocation.cacheFolder(environment: home.merging(["XDG_CACHE_HOME": "/c"]) { $1 }).path == "/c/gpt2-tui")
    }
}
