import Foundation
@testable import GPT2

/// The committed GGUF fixtures (Tests/Fixtures/gguf, made by make_gguf_fixtures.py).
enum GGUFFixtures {
    static let folder = GoldenFixtures.root.appendingPathComponent("gguf")

    /// tiny-a converted by llama.cpp's convert_hf_to_gguf.py, `--outtype f32` or `q8_0`.
    static func converted(_ type: GGUFFileType) -> URL {
        folder.appendingPathComponent("tiny-a-\(type.rawValue).gguf")
    }

    struct Cases: Decodable {
        struct Block: Decodable {
            var name: String
            var input_bits: [UInt32]
            var q8_0: String
        }

        struct Half: Decodable {
            var input_bits: UInt32
            var f16_bits: UInt16
        }

        var q8_0: [Block]
        var f16: [Half]
    }

    /// Q8_0 and F16 conversions by the `gguf` Python package.
    static func cases() throws -> Cases {
        try JSONDecoder().decode(Cases.self, from: Data(contentsOf: folder.appendingPathComponent("q8_0_cases.json")))
    }
}

func hexBytes(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}

/// A small GPT-2 made in memory (1 layer, 2 heads, 32 embedding dimensions, 8 positions, a
/// vocabulary of the 256 byte tokens, four merges and `<|endoftext|>`), written as GGUF by the
/// same code as `gpt2-tui quantize`.
struct TinyGGUFModel {
    static let config = GPT2Config(nLayer: 1, nHead: 2, nEmbd: 32, nPositions: 8, vocabSize: 261, layerNormEpsilon: 1e-5)

    let weights: GPT2Weights
    let vocabulary: GGUFVocabulary

    init(seed: UInt64 = 7) {
        let config = Self.config
        var random = SplitMix64(seed: seed)
        func values(_ tensor: GPT2TensorName) -> [Float] {
            let count = tensor.shape(for: config).reduce(1, *)
            return (0..<count).map { _ in Float(Int.random(in: -1000...1000, using: &random)) / 2000 }
        }
        weights = (try? GPT2Weights(config: config) { values($0) })
            ?? GPT2Weights(config: config, wte: [], wpe: [], layers: [], lnFWeight: [], lnFBias: [])
        let byteTokens = (0...255).map { String(ByteUnicodeTable.scalar(for: UInt8($0))) }
        let tokens = byteTokens + ["he", "Ġt", "Ġthe", "ll", GPT2Tokenizer.endOfTextToken]
        vocabulary = GGUFVocabulary(
            tokens: tokens,
            tokenTypes: tokens.map { $0 == GPT2Tokenizer.endOfTextToken ? 3 : 1 },
            merges: ["h e", "Ġ t", "Ġt he", "l l"],
            specialTokenIDs: [("tokenizer.ggml.bos_token_id", 260), ("tokenizer.ggml.eos_token_id", 260)])
    }

    func writer(_ type: GGUFFileType) throws -> GGUFWriter {
        let weights = self.weights
        return try GPT2GGUFConverter.writer(
            config: Self.config, name: "Tiny GGUF", vocabulary: vocabulary, fileType: type
        ) { tensor in
            weights.array(tensor)
        }
    }

    /// The file's bytes.
    func bytes(_ type: GGUFFileType) throws -> [UInt8] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appending(path: "tiny.gguf")
        try writer(type).write(to: url)
        return try [UInt8](Data(contentsOf: url))
    }
}

/// A GGUF file assembled byte by byte, to make malformed ones: every count and field can be set.
struct RawGGUF {
    var magic: [UInt8] = Array("GGUF".utf8)
    var version: UInt32 = 3
    /// nil: the number of entries / tensor infos given.
    var entryCount: UInt64?
    var tensorCount: UInt64?
    var entries: [[UInt8]] = []
    var tensorInfos: [[UInt8]] = []
    var alignment = 32
    var data: [UInt8] = []

    func bytes() -> [UInt8] {
        var encoder = GGUFEncoder()
        encoder.bytes = magic
        encoder.append(version)
        encoder.append(tensorCount ?? UInt64(tensorInfos.count))
        encoder.append(entryCount ?? UInt64(entries.count))
        for entry in entries { encoder.bytes += entry }
        for info in tensorInfos { encoder.bytes += info }
        while encoder.bytes.count % alignment != 0 { encoder.bytes.append(0) }
        return encoder.bytes + data
    }

    static func entry(_ key: String, _ value: GGUFValue) -> [UInt8] {
        var encoder = GGUFEncoder()
        encoder.append(key)
        encoder.append(value.type.rawValue)
        encoder.append(value)
        return encoder.bytes
    }

    /// An entry with a raw type number and raw value bytes.
    static func entry(_ key: String, type: UInt32, value: [UInt8]) -> [UInt8] {
        var encoder = GGUFEncoder()
        encoder.append(key)
        encoder.append(type)
        return encoder.bytes + value
    }

    static func tensorInfo(_ name: String, dimensions: [UInt64], type: UInt32, offset: UInt64) -> [UInt8] {
        var encoder = GGUFEncoder()
        encoder.append(name)
        encoder.append(UInt32(dimensions.count))
        for dimension in dimensions { encoder.append(dimension) }
        encoder.append(type)
        encoder.append(offset)
        return encoder.bytes
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

/// Writes `bytes` to a temporary file and opens it as GGUF.
func openGGUF(_ bytes: [UInt8]) throws -> GGUFFile {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    // The mapping stays valid after the file is removed.
    return try GGUFFile(url: directory.write(bytes, to: "model.gguf"))
}

/// The error `body` throws, if it is a ModelFileError.
func modelFileError(_ body: () throws -> Void) -> ModelFileError? {
    do {
        try body()
        return nil
    } catch let error as ModelFileError {
        return error
    } catch {
        return nil
    }
}
