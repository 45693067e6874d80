import Foundation
import Testing
@testable import GPT2

/// GGUF files of tiny-a made by llama.cpp's own converter (F32 and Q8_0), against the Hugging Face
/// folder they came from, and against what gpt2-tui writes for the same folder.
@Suite struct GGUFInteropTests {
    static let folder = GoldenFixtures.modelFolder("tiny-a")

    @Test(arguments: [GGUFFileType.f32, .q8_0])
    func configIsTheFolders(type: GGUFFileType) throws {
        let file = try GGUFFile(url: GGUFFixtures.converted(type))
        let expected = try GPT2Config.load(configURL: Self.folder.appending(path: "config.json"))
        #expect(try GPT2Config.load(gguf: file) == expected)
    }

    @Test(arguments: [GGUFFileType.f32, .q8_0])
    func tokenizerGivesTheFoldersIDs(type: GGUFFileType) throws {
        let ours = try GPT2Tokenizer.load(gguf: GGUFFile(url: GGUFFixtures.converted(type)))
        let folders = try GoldenFixtures.tokenizer("tiny-a")
        #expect(ours.vocabularySize == folders.vocabularySize)
        #expect(ours.endOfTextID == folders.endOfTextID)
        let texts = ["ROMEO: But soft, what light through yonder window breaks?", "  two  spaces\n\nand lines\t",
                     "naïve café — 世界 🦙", "<|endoftext|>The end.<|endoftext|>", "123 4567 it's we'll", ""]
        for text in texts {
            #expect(ours.encode(text) == folders.encode(text), "\(text)")
        }
        for id in 0..<Int32(folders.vocabularySize) {
            #expect(ours.bytes(of: id) == folders.bytes(of: id))
        }
    }

    @Test func f32FileGivesTheFoldersLogits() throws {
        let fromGGUF = GPT2Model(weights: try GPT2Weights.load(ggufURL: GGUFFixtures.converted(.f32)))
        let fromFolder = GPT2Model(weights: try GPT2Weights.load(huggingFaceFolder: Self.folder))
        let tokenizer = try GoldenFixtures.tokenizer("tiny-a")
        for prompt in ["ROMEO:", "JULIET: O Romeo, Romeo! wherefore art thou Romeo?", "a"] {
            let tokens = tokenizer.encode(prompt)
            let a = fromGGUF.forward(tokens: [tokens], caches: [fromGGUF.makeCache(capacity: tokens.count)])[0]
            let b = fromFolder.forward(tokens: [tokens], caches: [fromFolder.makeCache(capacity: tokens.count)])[0]
            #expect(maximumAbsoluteDifference(a, b) <= 1e-5, "\(prompt)")
        }
    }

    @Test func f32FileHoldsTheFoldersWeightsExactly() throws {
        let fromGGUF = try GPT2Weights.load(ggufURL: GGUFFixtures.converted(.f32))
        let fromFolder = try GPT2Weights.load(huggingFaceFolder: Self.folder)
        for tensor in GPT2TensorName.all(nLayer: fromFolder.config.nLayer) {
            #expect(fromGGUF.array(tensor) == fromFolder.array(tensor), "\(tensor)")
        }
    }

    @Test func q8FileHoldsOurQuantizationOfTheFoldersWeights() throws {
        let fromFile = try QuantizedGPT2Weights.load(ggufURL: GGUFFixtures.converted(.q8_0))
        let ours = try QuantizedGPT2Weights(quantizing: GPT2Weights.load(huggingFaceFolder: Self.folder))
        func bytes(_ matrix: Q8Matrix) -> [UInt8] {
            Array(UnsafeRawBufferPointer(start: matrix.bytes, count: matrix.byteCount))
        }
        #expect(bytes(fromFile.tokenEmbedding) == bytes(ours.tokenEmbedding))
        #expect(bytes(fromFile.output) == bytes(ours.output))
        #expect(fromFile.positionEmbedding == ours.positionEmbedding)
        #expect(fromFile.lnFWeight == ours.lnFWeight && fromFile.lnFBias == ours.lnFBias)
        for (a, b) in zip(fromFile.layers, ours.layers) {
            for (x, y) in [(a.attnQKV, b.attnQKV), (a.attnOutput, b.attnOutput), (a.ffnUp, b.ffnUp), (a.ffnDown, b.ffnDown)] {
                #expect(x.rows == y.rows && x.columns == y.columns)
                #expect(bytes(x) == bytes(y))
            }
            #expect(a.attnQKVBias == b.attnQKVBias && a.ffnDownBias == b.ffnDownBias && a.ln2Weight == b.ln2Weight)
        }
    }

    @Test func q8MatricesAreUsedInPlace() throws {
        let file = try GGUFFile(url: GGUFFixtures.converted(.q8_0))
        let weights = try QuantizedGPT2Weights.load(gguf: file)
        let mapping = try file.mappedFile.unsafeBytes(offset: 0, count: file.mappedFile.size)
        let info = try file.requireTensor("blk.1.ffn_down.weight")
        let matrix = weights.layers[1].ffnDown
        let ownedByTheMap = matrix.owner === (file.mappedFile as AnyObject)
        #expect(ownedByTheMap)
        #expect(matrix.bytes == mapping.baseAddress.map { $0 + file.dataOffset + info.offset })
        #expect(matrix.rows == 64 && matrix.columns == 256)
        // No output.weight in the file: the head is the token embedding.
        #expect(file.tensor(named: "output.weight") == nil)
        #expect(weights.output.bytes == weights.tokenEmbedding.bytes)
    }

    @Test func quantizingTheF32FileGivesTheQ8File() throws {
        let fromF32 = try QuantizedGPT2Weights.load(ggufURL: GGUFFixtures.converted(.f32))
        let fromQ8 = try QuantizedGPT2Weights.load(ggufURL: GGUFFixtures.converted(.q8_0))
        #expect(Array(UnsafeRawBufferPointer(start: fromF32.layers[0].attnQKV.bytes, count: fromF32.layers[0].attnQKV.byteCount))
            == Array(UnsafeRawBufferPointer(start: fromQ8.layers[0].attnQKV.bytes, count: fromQ8.layers[0].attnQKV.byteCount)))
    }

    @Test func q8FileRunsCloseToTheFolderOnTheFP32Engine() throws {
        let fromGGUF = GPT2Model(weights: try GPT2Weights.load(ggufURL: GGUFFixtures.converted(.q8_0)))
        let fromFolder = GPT2Model(weights: try GPT2Weights.load(huggingFaceFolder: Self.folder))
        let tokens = try GoldenFixtures.tokenizer("tiny-a").encode("ROMEO: But soft, what light")
        let a = fromGGUF.forward(tokens: [tokens], caches: [fromGGUF.makeCache(capacity: tokens.count)])[0]
        let b = fromFolder.forward(tokens: [tokens], caches: [fromFolder.makeCache(capacity: tokens.count)])[0]
        // Q8_0 keeps each weight within half a step of 1/254 of its block's largest magnitude.
        let range = (b.max() ?? 0) - (b.min() ?? 0)
        #expect(maximumAbsoluteDifference(a, b) <= 0.02 * range)
        #expect(a.indices.max { a[$0] < a[$1] } == b.indices.max { b[$0] < b[$1] })
    }

    /// Our writer gives llama.cpp's converter's bytes: same metadata and order, tensor order,
    /// alignment, transposition and quantization.
    @Test(arguments: [GGUFFileType.f32, .q8_0])
    func writerReproducesTheConverterByteForByte(type: GGUFFileType) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ours = directory.url.appending(path: "ours.gguf")
        try GPT2GGUFConverter.convert(huggingFaceFolder: Self.folder, to: ours, fileType: type)
        let expected = try Data(contentsOf: GGUFFixtures.converted(type))
        let written = try Data(contentsOf: ours)
        #expect(written.count == expected.count)
        #expect(written == expected)
    }

    @Test func quantizingTheConvertersF32FileGivesItsQ8File() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ours = directory.url.appending(path: "ours.gguf")
        try GPT2GGUFConverter.convert(ggufURL: GGUFFixtures.converted(.f32), to: ours, fileType: .q8_0)
        #expect(try Data(contentsOf: ours) == Data(contentsOf: GGUFFixtures.converted(.q8_0)))
    }

    @Test func theConvertersMetadataIsReadInOrder() throws {
        let file = try GGUFFile(url: GGUFFixtures.converted(.q8_0))
        #expect(file.metadata.keys == [
            "general.architecture", "general.type", "general.name", "general.size_label", "gpt2.block_count",
            "gpt2.context_length", "gpt2.embedding_length", "gpt2.feed_forward_length", "gpt2.attention.head_count",
            "gpt2.attention.layer_norm_epsilon", "general.file_type", "general.quantization_version",
            "tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.tokens", "tokenizer.ggml.token_type",
            "tokenizer.ggml.merges", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
        ])
        #expect(file.metadata["general.name"] == .string("Tiny A"))
        #expect(file.metadata["general.file_type"] == .uint32(7))
        #expect(file.tensors.first?.name == "blk.0.attn_qkv.bias")
        #expect(file.tensors.last?.name == "token_embd.weight")
        #expect(file.tensor(named: "blk.0.attn_qkv.weight")?.dimensions == [64, 192])
        #expect(file.tensor(named: "blk.0.attn_qkv.weight")?.type == .q8_0)
        #expect(file.tensor(named: "position_embd.weight")?.type == .f32)
    }
}
