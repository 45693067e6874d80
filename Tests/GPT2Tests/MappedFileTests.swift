import Foundation
import Testing
import GPT2

struct MappedFileTests {
    @Test func mapsTheWholeFileAndReadsRanges() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try MappedFile(url: directory.write([1, 2, 3, 4, 5, 6, 7, 8, 9], to: "data"))
        #expect(file.size == 9)
        #expect(try file.bytes(offset: 2, count: 3) == [3, 4, 5])
        #expect(try file.bytes(offset: 9, count: 0) == [])
        #expect(try file.littleEndianUInt64(at: 1) == 0x0908_0706_0504_0302)  // unaligned
    }

    @Test func emptyFileMapsToZeroBytes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try MappedFile(url: directory.write([], to: "empty"))
        #expect(file.size == 0)
        #expect(try file.bytes(offset: 0, count: 0) == [])
        #expect(throws: ModelFileError.self) { try file.bytes(offset: 0, count: 1) }
    }

    @Test(arguments: [(-1, 1), (0, -1), (8, 2), (10, 0), (Int.max, 1), (1, Int.max), (Int.min, 0)])
    func rangesOutsideTheFileThrow(offset: Int, count: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try MappedFile(url: directory.write([UInt8](repeating: 7, count: 9), to: "data"))
        let error = #expect(throws: ModelFileError.self) { try file.bytes(offset: offset, count: count) }
        #expect(error?.kind == .outOfBounds)
    }

    @Test func missingFileIsUnreadable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appending(path: "absent")
        let error = #expect(throws: ModelFileError.self) { try MappedFile(url: url) }
        #expect(error == .unreadable(file: url.path, reason: "No such file or directory"))
    }

    @Test func directoryIsUnreadable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let error = #expect(throws: ModelFileError.self) { try MappedFile(url: directory.url) }
        #expect(error?.kind == .unreadable)
        #expect(error?.description.contains("directory") == true)
    }
}
