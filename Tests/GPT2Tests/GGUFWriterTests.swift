import Foundation
import Testing
@testable import GPT2

/// Writing GGUF: layout, and a file that appears whole or not at all.
struct GGUFWriterTests {
    @Test func layoutIsHeaderMetadataInfosPaddingData() throws {
        var metadata = GGUFMetadata()
        metadata.append("general.architecture", .string("gpt2"))
        var writer = GGUFWriter(metadata: metadata)
        try writer.addTensor(name: "a", dimensions: [3], type: .f32) { GGUFTensorEncoding.bytes(of: [1, 2, 3], as: .f32) }
        try writer.addTensor(name: "b", dimensions: [2], type: .f32) { GGUFTensorEncoding.bytes(of: [4, 5], as: .f32) }
        let header = try writer.headerBytes()
        var expected = GGUFEncoder()
        expected.bytes = Array("GGUF".utf8)
        expected.append(UInt32(3))
        expected.append(UInt64(2))
        expected.append(UInt64(1))
        expected.append("general.architecture")
        expected.append(UInt32(8))
        expected.append("gpt2")
        for (name, count, offset) in [("a", 3, 0), ("b", 2, 32)] {
            expected.append(name)
            expected.append(UInt32(1))
            expected.append(UInt64(count))
            expected.append(UInt32(0))
            expected.append(UInt64(offset))
        }
        while expected.bytes.count % 32 != 0 { expected.bytes.append(0) }
        #expect(header == expected.bytes)
        #expect(try writer.dataByteCount() == 64)

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appending(path: "out.gguf")
        var reports: [(Int, Int)] = []
        try writer.write(to: url) { reports.append(($0, $1)) }
        let bytes = try [UInt8](Data(contentsOf: url))
        #expect(bytes.count == header.count + 64)
        #expect(Array(bytes[header.count..<(header.count + 12)]) == GGUFTensorEncoding.bytes(of: [1, 2, 3], as: .f32))
        #expect(bytes[(header.count + 12)..<(header.count + 32)].allSatisfy { $0 == 0 })
        #expect(reports.map(\.0) == [header.count, header.count + 32, header.count + 64])
        #expect(reports.allSatisfy { $0.1 == bytes.count })
    }

    @Test func aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws {
        struct Stop: Error {}
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = try directory.write("old contents", to: "out.gguf")
        var writer = GGUFWriter()
        try writer.addTensor(name: "a", dimensions: [1], type: .f32) { [0, 0, 128, 63] }
        try writer.addTensor(name: "b", dimensions: [1], type: .f32) { throw Stop() }
        #expect(throws: Stop.self) { try writer.write(to: url) }
        #expect(try String(contentsOf: url, encoding: .utf8) == "old contents")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["out.gguf"])

        writer.removeTensor(named: "b")
        try writer.addTensor(name: "b", dimensions: [2], type: .f32) { [1, 2, 3] }
        let error = modelFileError { try writer.write(to: url) }
        #expect(error?.description.contains("3 bytes were produced for a tensor of 8") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["out.gguf"])

        writer.removeTensor(named: "b")
        try writer.write(to: url)
        #expect(try GGUFFile(url: url).tensors.map(\.name) == ["a"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["out.gguf"])
    }

    @Test func aMissingFolderIsAnUnwritableFile() throws {
        let error = modelFileError { try GGUFWriter().write(to: URL(fileURLWithPath: "/nonexistent/folder/x.gguf")) }
        #expect(error?.kind == .unwritable)
        #expect(error?.description == "/nonexistent/folder/x.gguf: cannot write the file: No such file or directory")
    }

    @Test func badTensorsAreRefusedWhenAdded() throws {
        var writer = GGUFWriter()
        try writer.addTensor(name: "a", dimensions: [32], type: .q8_0) { Q8_0.quantize([Float](repeating: 1, count: 32)) }
        #expect(modelFileError { try writer.addTensor(name: "a", dimensions: [1], type: .f32) { [] } }?.kind == .invalidTensorEntry)
        #expect(modelFileError { try writer.addTensor(name: "b", dimensions: [16], type: .q8_0) { [] } }?.kind == .invalidTensorEntry)
        #expect(modelFileError { try writer.addTensor(name: "c", dimensions: [1, 1, 1, 1, 1], type: .f32) { [] } }?.kind == .invalidTensorEntry)
        #expect(modelFileError { try writer.addTensor(name: "d", dimensions: [1], type: GGMLType(rawValue: 99)) { [] } }?.kind == .invalidTensorEntry)
        writer.metadata.append("general.alignment", .uint32(3))
        #expect(modelFileError { _ = try writer.headerBytes() }?.kind == .invalidMetadata)
    }

    @Test func metadataKeepsInsertionOrderAndRefusesDuplicates() {
        var metadata = GGUFMetadata()
        let added = [metadata.append("b", .uint8(1)), metadata.append("a", .uint8(2)), metadata.append("b", .uint8(3))]
        #expect(added == [true, true, false])
        #expect(metadata["b"] == .uint8(1))
        metadata.set("a", .string("x"))
        metadata.set("c", .bool(false))
        #expect(metadata.keys == ["b", "a", "c"])
        #expect(metadata["a"] == .string("x"))
        metadata.remove("b")
        #expect(metadata.keys == ["a", "c"])
        #expect(metadata["c"] == .bool(false))
        #expect(metadata["b"] == nil)
    }
}
