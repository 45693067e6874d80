import Foundation
import Testing
@testable import GPT2

/// Damaged GGUF files — every truncation, hundreds of flipped bits, absurd counts — must give a
/// `ModelFileError` or load, and never crash or allocate sizes read from the file.
struct GGUFFuzzTests {
    /// Everything a loader can do with a file: the container, then GPT-2's config, tokenizer and
    /// weights for both engines, and every readable tensor's values.
    private func loadEverything(_ url: URL) throws {
        let file = try GGUFFile(url: url)
        for tensor in file.tensors where tensor.type.isReadable {
            _ = try file.floats(of: tensor)
        }
        _ = try GPT2Config.load(gguf: file)
        _ = try GPT2Tokenizer.load(gguf: file)
        _ = try GPT2Weights.load(gguf: file)
        _ = try QuantizedGPT2Weights.load(gguf: file)
    }

    /// A small file with every value type and tensors of the three readable types.
    private func smallFile() throws -> [UInt8] {
        var metadata = GGUFMetadata()
        for (key, value) in GGUFReaderTests.everyValue { metadata.append(key, value) }
        var writer = GGUFWriter(metadata: metadata)
        let values: [Float] = (0..<64).map { Float($0) - 31.5 }
        try writer.addTensor(name: "f32", dimensions: [8], type: .f32) { GGUFTensorEncoding.bytes(of: Array(values[0..<8]), as: .f32) }
        try writer.addTensor(name: "f16", dimensions: [16, 2], type: .f16) { GGUFTensorEncoding.bytes(of: Array(values[0..<32]), as: .f16) }
        // 2 × 34 = 68 bytes, padded to 96: the file ends with 28 bytes of padding.
        try writer.addTensor(name: "q8_0", dimensions: [32, 2], type: .q8_0) { Q8_0.quantize(values) }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appending(path: "small.gguf")
        try writer.write(to: url)
        return try [UInt8](Data(contentsOf: url))
    }

    @Test func everyTruncationOfASmallFileIsRefusedOrKeepsAllData() throws {
        let valid = try smallFile()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = try directory.write(valid, to: "model.gguf")
        let complete = try GGUFFile(url: url)
        let dataEnd = complete.dataOffset + (complete.tensors.map { $0.offset + $0.byteCount }.max() ?? 0)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var refused = 0
        for length in (0..<valid.count).reversed() {
            try handle.truncate(atOffset: UInt64(length))
            do {
                let file = try GGUFFile(url: url)
                // Only the padding after the last tensor may go.
                #expect(length >= dataEnd, "truncated to \(length) of \(valid.count) bytes, it still loaded")
                #expect(file.metadata == complete.metadata)
            } catch {
                refused += 1
                #expect(error is ModelFileError, "length \(length): \(error)")
                #expect(length < dataEnd, "length \(length) was refused though every tensor is there: \(error)")
            }
        }
        #expect(refused == dataEnd)
    }

    @Test(arguments: [GGUFFileType.q8_0, .f16])
    func truncatedModelsAreRefused(type: GGUFFileType) throws {
        let valid = try TinyGGUFModel().bytes(type)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = try directory.write(valid, to: "model.gguf")
        try loadEverything(url)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        // Every length in the metadata and tensor infos, then a stride through the data.
        let headerEnd = try GGUFFile(url: url).dataOffset
        var lengths = Array(0..<headerEnd)
        lengths += Array(stride(from: headerEnd, to: valid.count - 32, by: 97))
        for length in lengths.reversed() {
            try handle.truncate(atOffset: UInt64(length))
            do {
                try loadEverything(url)
                Issue.record("a model truncated to \(length) of \(valid.count) bytes loaded")
            } catch {
                #expect(error is ModelFileError, "length \(length): \(error)")
            }
        }
    }

    @Test(arguments: [GGUFFileType.q8_0, .f32])
    func flippedBitsAreRefusedOrLoad(type: GGUFFileType) throws {
        let valid = try TinyGGUFModel().bytes(type)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let headerEnd = try GGUFFile(url: directory.write(valid, to: "model.gguf")).dataOffset
        var random = SplitMix64(seed: 0x6767_7566 &+ UInt64(type.rawValue.utf8.count))
        var loaded = 0, refused = 0
        for variant in 0..<400 {
            // Three quarters of the flips land before the data, where the structure is.
            let offset = variant % 4 == 3
                ? Int.random(in: headerEnd..<valid.count, using: &random)
                : Int.random(in: 0..<headerEnd, using: &random)
            var bytes = valid
            bytes[offset] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            let url = try directory.write(bytes, to: "model.gguf")
            do {
                try loadEverything(url)
                loaded += 1
            } catch {
                refused += 1
                #expect(error is ModelFileError, "flip at \(offset): \(error)")
            }
        }
        #expect(loaded + refused == 400)
        #expect(refused > 50)
        #expect(loaded >= 100)  // flips in tensor values, token texts and such still load
    }

    @Test func randomBytesAfterTheMagicAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var random = SplitMix64(seed: 99)
        for _ in 0..<300 {
            let size = Int.random(in: 8..<400, using: &random)
            var bytes = Array("GGUF".utf8) + [3, 0, 0, 0]
            bytes += (8..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            let url = try directory.write(bytes, to: "model.gguf")
            do {
                try loadEverything(url)
                Issue.record("random bytes loaded as a model")
            } catch {
                #expect(error is ModelFileError, "\(error)")
            }
        }
    }

    /// Counts and lengths near the limits of UInt64 must be refused from the header alone.
    @Test(arguments: [UInt64(1) << 32, 1 << 40, 1 << 62, UInt64(Int.max), UInt64.max])
    func absurdCountsAreRefusedWithoutAllocating(count: UInt64) throws {
        let le = { (value: UInt64) in RawGGUF.littleEndian(value) }
        var files: [RawGGUF] = []
        var raw = RawGGUF()
        raw.entryCount = count
        files.append(raw)
        raw = RawGGUF()
        raw.tensorCount = count
        files.append(raw)
        for elementType: UInt32 in [0, 4, 8, 9] {
            raw = RawGGUF()
            raw.entries = [RawGGUF.entry("k", type: 9, value: RawGGUF.littleEndian(elementType) + le(count) + [0, 0, 0, 0])]
            files.append(raw)
        }
        raw = RawGGUF()
        raw.entries = [RawGGUF.entry("k", type: 8, value: le(count))]
        files.append(raw)
        raw = RawGGUF()
        raw.tensorInfos = [RawGGUF.tensorInfo("t", dimensions: [count, count], type: 0, offset: 0)]
        files.append(raw)
        for file in files {
            #expect(modelFileError { _ = try openGGUF(file.bytes()) } != nil)
        }
    }
}
