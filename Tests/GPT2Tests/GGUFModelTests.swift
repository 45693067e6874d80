import Foundation
import Testing
@testable import GPT2

/// GPT-2 in GGUF: config, tokenizer and weights from files of each type, and the errors of files
/// that are valid GGUF but not a usable GPT-2.
struct GGUFModelTests {
    let model = TinyGGUFModel()

    private func write(_ writer: GGUFWriter) throws -> GGUFFile {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appending(path: "model.gguf")
        try writer.write(to: url)
        return try GGUFFile(url: url)
    }

    @Test(arguments: GGUFFileType.allCases)
    func fp32WeightsComeBackFromEveryType(type: GGUFFileType) throws {
        let file = try write(model.writer(type))
        #expect(try GPT2Config.load(gguf: file) == TinyGGUFModel.config)
        let weights = try GPT2Weights.load(gguf: file)
        for tensor in GPT2TensorName.all(nLayer: 1) {
            let original = model.weights.array(tensor)
            let stored = GGUFTensorNames.dimensions(of: tensor, config: TinyGGUFModel.config)
            let storedType = type.tensorType(name: GGUFTensorNames.name(of: tensor), dimensions: stored)
            var expected = original
            if storedType != .f32 {
                // What the file holds, back in GPT2Weights' layout.
                let shape = tensor.shape(for: TinyGGUFModel.config)
                let transposed = GGUFTensorNames.isTransposed(tensor)
                var rows = transposed ? transpose(original, rows: shape[0], columns: shape[1]) : original
                rows = storedType == .f16
                    ? rows.map { HalfPrecision.float(fromHalfBits: HalfPrecision.halfBits(from: $0)) }
                    : Q8_0.dequantize(Q8_0.quantize(rows))
                expected = transposed ? transpose(rows, rows: shape[1], columns: shape[0]) : rows
            }
            #expect(weights.array(tensor) == expected, "\(tensor) in \(type)")
        }
    }

    @Test(arguments: GGUFFileType.allCases)
    func int8WeightsFromEveryTypeEqualQuantizingTheFileValues(type: GGUFFileType) throws {
        let file = try write(model.writer(type))
        let loaded = try QuantizedGPT2Weights.load(gguf: file)
        let reference = try QuantizedGPT2Weights(quantizing: GPT2Weights.load(gguf: file))
        func bytes(_ matrix: Q8Matrix) -> [UInt8] { Array(UnsafeRawBufferPointer(start: matrix.bytes, count: matrix.byteCount)) }
        #expect(bytes(loaded.tokenEmbedding) == bytes(reference.tokenEmbedding))
        #expect(bytes(loaded.layers[0].ffnDown) == bytes(reference.layers[0].ffnDown))
        #expect(bytes(loaded.layers[0].attnQKV) == bytes(reference.layers[0].attnQKV))
        #expect(loaded.layers[0].attnQKV.rows == 96 && loaded.layers[0].attnQKV.columns == 32)
        #expect(loaded.positionEmbedding == model.weights.wpe)
    }

    @Test func tokenizerComesFromTheMetadata() throws {
        let tokenizer = try GPT2Tokenizer.load(gguf: write(model.writer(.q8_0)))
        #expect(tokenizer.vocabularySize == 261)
        #expect(tokenizer.endOfTextID == 260)
        #expect(tokenizer.encode(" the hell<|endoftext|>") == [258, 32, 256, 259, 260])
        #expect(tokenizer.decode([258, 259]) == " thell")
    }

    @Test func unusedTokensAreLeftOut() throws {
        var writer = try model.writer(.f32)
        var types = model.vocabulary.tokenTypes
        types[259] = 5  // "ll" becomes a filler; the merge "l l" then names an unknown token
        writer.metadata.set("tokenizer.ggml.token_type", .array(.int32(types)))
        writer.metadata.set("tokenizer.ggml.merges", .array(.string(["h e", "Ġ t", "Ġt he"])))
        let tokenizer = try GPT2Tokenizer.load(gguf: write(writer))
        #expect(tokenizer.bytes(of: 259) == [])
        #expect(tokenizer.encode("ll") == [108, 108])
    }

    @Test func anOutputHeadIsUsedWhenTheFileHasOne() throws {
        var writer = try model.writer(.q8_0)
        let head = model.weights.wte.map { -$0 }
        try writer.addTensor(name: "output.weight", dimensions: [32, 261], type: .q8_0) { Q8_0.quantize(head) }
        let file = try write(writer)
        let quantized = try QuantizedGPT2Weights.load(gguf: file)
        #expect(quantized.output.bytes != quantized.tokenEmbedding.bytes)
        #expect(quantized.output.dequantized() == Q8_0.dequantize(Q8_0.quantize(head)))
        #expect(try GPT2Weights.load(gguf: file).wte == Q8_0.dequantize(Q8_0.quantize(model.weights.wte)))
    }

    @Test func rowsThatAreNotWholeBlocksFallBackToF16() throws {
        let config = GPT2Config(nLayer: 1, nHead: 1, nEmbd: 8, nPositions: 4, vocabSize: 261)
        var random = SplitMix64(seed: 5)
        let weights = try GPT2Weights(config: config) { tensor in
            (0..<tensor.shape(for: config).reduce(1, *)).map { _ in Float.random(in: -1...1, using: &random) }
        }
        let writer = try GPT2GGUFConverter.writer(config: config, name: "odd", vocabulary: model.vocabulary, fileType: .q8_0) {
            weights.array($0)
        }
        let file = try write(writer)
        #expect(file.tensor(named: "token_embd.weight")?.type == .f16)
        // The converter decides per tensor: ffn_down's rows are 4 × 8 = 32 values, one whole block.
        #expect(file.tensor(named: "blk.0.ffn_down.weight")?.type == .q8_0)
        _ = try GPT2Weights.load(gguf: file)
        let error = modelFileError { _ = try QuantizedGPT2Weights.load(gguf: file) }
        #expect(error?.kind == .invalidConfig)
        #expect(error?.description.contains("not a multiple of 32") == true)
    }

    /// A model file that is valid GGUF but not a usable GPT-2: each change, the error kind and a phrase.
    static let unusable: [(String, @Sendable (inout GGUFWriter) throws -> Void, ModelFileErrorKind, String)] = [
        ("another architecture", { $0.metadata.set("general.architecture", .string("llama")) }, .invalidConfig,
         "\"general.architecture\": \"llama\" is not a GPT-2 model"),
        ("no architecture", { $0.metadata.remove("general.architecture") }, .invalidConfig, "\"general.architecture\": is missing"),
        ("no block count", { $0.metadata.remove("gpt2.block_count") }, .invalidConfig, "\"gpt2.block_count\": is missing"),
        ("block count as a string", { $0.metadata.set("gpt2.block_count", .string("1")) }, .invalidConfig,
         "expected an integer, found STRING"),
        ("zero heads", { $0.metadata.set("gpt2.attention.head_count", .uint32(0)) }, .invalidConfig,
         "\"gpt2.attention.head_count\": 0 is outside"),
        ("another MLP width", { $0.metadata.set("gpt2.feed_forward_length", .uint32(100)) }, .invalidConfig,
         "\"gpt2.feed_forward_length\": 100 is not supported"),
        ("grouped-query attention", { $0.metadata.set("gpt2.attention.head_count_kv", .uint32(1)) }, .invalidConfig,
         "head_count_kv"),
        ("epsilon as an integer", { $0.metadata.set("gpt2.attention.layer_norm_epsilon", .uint32(1)) }, .invalidConfig,
         "expected a float"),
        ("no tokens", { $0.metadata.remove("tokenizer.ggml.tokens") }, .invalidMetadata, "\"tokenizer.ggml.tokens\": is missing"),
        ("tokens as integers", { $0.metadata.set("tokenizer.ggml.tokens", .array(.int32([1]))) }, .invalidMetadata,
         "expected an array of strings, found ARRAY[INT32]"),
        ("another tokenizer", { $0.metadata.set("tokenizer.ggml.model", .string("llama")) }, .invalidMetadata,
         "\"llama\" is not GPT-2's byte-level BPE"),
        ("a merge of unknown tokens", { $0.metadata.set("tokenizer.ggml.merges", .array(.string(["h e", "x yz"]))) },
         .invalidMetadata, "element 1 refers to unknown token \"yz\""),
        ("a malformed merge", { $0.metadata.set("tokenizer.ggml.merges", .array(.string(["he"]))) },
         .invalidMetadata, "element 0 \"he\" is not two tokens"),
        ("token types of another length", { $0.metadata.set("tokenizer.ggml.token_type", .array(.int32([1]))) },
         .invalidMetadata, "has 1 entries for 261 tokens"),
        ("a missing tensor", { $0.removeTensor(named: "blk.0.ffn_up.bias") }, .missingTensor, "\"blk.0.ffn_up.bias\" is missing"),
        ("an extra tensor", { try $0.addTensor(name: "blk.1.ffn_up.bias", dimensions: [4], type: .f32) { [UInt8](repeating: 0, count: 16) } },
         .unexpectedTensor, "\"blk.1.ffn_up.bias\""),
        ("a wrong shape", {
            $0.removeTensor(named: "output_norm.bias")
            try $0.addTensor(name: "output_norm.bias", dimensions: [31], type: .f32) { [UInt8](repeating: 0, count: 124) }
        }, .shapeMismatch, "has shape [31], expected [32]"),
        ("a type gpt2-tui cannot read", {
            $0.removeTensor(named: "blk.0.ffn_up.weight")
            try $0.addTensor(name: "blk.0.ffn_up.weight", dimensions: [32, 128], type: GGMLType(rawValue: 2)) {
                [UInt8](repeating: 0, count: 128 * 18)
            }
        }, .unsupportedTensorType, "has type Q4_0, which gpt2-tui cannot read; supported: F32, F16, Q8_0"),
    ]

    @Test(arguments: 0..<unusable.count)
    func unusableModelsAreRefusedNamingTheKeyOrTensor(index: Int) throws {
        let (name, change, kind, phrase) = Self.unusable[index]
        var writer = try model.writer(.q8_0)
        try change(&writer)
        let file = try write(writer)
        let error = modelFileError {
            _ = try GPT2Config.load(gguf: file)
            _ = try GPT2Tokenizer.load(gguf: file)
            _ = try GPT2Weights.load(gguf: file)
        }
        #expect(error?.kind == kind, "\(name): \(String(describing: error))")
        #expect(error?.description.contains(phrase) == true, "\(name): \(String(describing: error))")
        #expect(modelFileError { _ = try QuantizedGPT2Weights.load(gguf: file); _ = try GPT2Tokenizer.load(gguf: file) } != nil,
                "\(name): the int8 loader accepts it")
    }
}
