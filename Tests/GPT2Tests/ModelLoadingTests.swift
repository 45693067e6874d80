import Foundation
import Testing
import GPT2

struct ModelLoadingTests {
    private func load(_ checkpoint: TinyCheckpoint, configChanges: [String: String?] = [:]) throws -> GPT2Weights {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try checkpoint.write(to: directory, configChanges: configChanges)
        return try GPT2Weights.load(huggingFaceFolder: directory.url)
    }

    private func loadError(_ checkpoint: TinyCheckpoint, configChanges: [String: String?] = [:],
                           sourceLocation: SourceLocation = #_sourceLocation) -> ModelFileError? {
        #expect(throws: ModelFileError.self, sourceLocation: sourceLocation) {
            try load(checkpoint, configChanges: configChanges)
        }
    }

    private func expectEveryTensorInItsField(_ weights: GPT2Weights, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(weights.config == TinyCheckpoint.config, sourceLocation: sourceLocation)
        #expect(weights.layers.count == 2, sourceLocation: sourceLocation)
        for tensor in GPT2TensorName.all(nLayer: 2) {
            #expect(weights.array(tensor) == TinyCheckpoint.values(of: tensor), "\(tensor)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ["F32", "F16", "BF16"], [true, false])
    func loadsEveryTensorIntoItsFieldWithOrWithoutPrefix(dtype: String, prefixed: Bool) throws {
        var checkpoint = TinyCheckpoint()
        checkpoint.dtype = dtype
        checkpoint.prefixed = prefixed
        expectEveryTensorInItsField(try load(checkpoint))
    }

    @Test func shapesFollowTheConv1DLayout() {
        let config = GPT2Config(nLayer: 12, nHead: 12, nEmbd: 768, nPositions: 1024, vocabSize: 50257)
        #expect(GPT2TensorName.wte.shape(for: config) == [50257, 768])
        #expect(GPT2TensorName.wpe.shape(for: config) == [1024, 768])
        #expect(GPT2TensorName.layer(3, .attnCAttnWeight).shape(for: config) == [768, 2304])
        #expect(GPT2TensorName.layer(3, .mlpCFcWeight).shape(for: config) == [768, 3072])
        #expect(GPT2TensorName.layer(3, .mlpCProjWeight).shape(for: config) == [3072, 768])
        #expect(GPT2TensorName.all(nLayer: 12).count == 2 + 12 * 12 + 2)
    }

    @Test func tiedHeadCopyIsAcceptedAndItsValuesIgnored() throws {
        var checkpoint = TinyCheckpoint()
        checkpoint.includesHead = true
        let weights = try load(checkpoint)
        expectEveryTensorInItsField(weights)
        checkpoint.prefixed = false
        expectEveryTensorInItsField(try load(checkpoint))
    }

    @Test func headOfTheWrongShapeIsRefused() throws {
        var checkpoint = TinyCheckpoint()
        checkpoint.extras = [.f32("lm_head.weight", [Float](repeating: 0, count: 36), shape: [9, 4])]
        let error = loadError(checkpoint)
        guard case let .shapeMismatch(_, tensor, expected, found) = error else {
            Issue.record("expected shapeMismatch, got \(String(describing: error))")
            return
        }
        #expect(tensor == "lm_head.weight")
        #expect(expected == [10, 4])
        #expect(found == [9, 4])
    }

    @Test(arguments: [true, false])
    func causalMaskBuffersOfOldCheckpointsAreIgnored(prefixed: Bool) throws {
        var checkpoint = TinyCheckpoint()
        checkpoint.prefixed = prefixed
        checkpoint.includesMaskBuffers = true
        expectEveryTensorInItsField(try load(checkpoint))
    }

    @Test func maskBufferOfABlockTheModelDoesNotHaveIsUnexpected() {
        var checkpoint = TinyCheckpoint()
        checkpoint.extras = [.f32("transformer.h.2.attn.masked_bias", [-1e4], shape: [])]
        #expect(loadError(checkpoint)?.kind == .unexpectedTensor)
    }

    @Test(arguments: [
        "wte.weight", "wpe.weight", "ln_f.bias", "h.0.ln_1.weight", "h.1.attn.c_attn.bias", "h.1.mlp.c_proj.weight",
    ])
    func missingTensorIsNamed(name: String) throws {
        var checkpoint = TinyCheckpoint()
        checkpoint.omitted = [name]
        let error = loadError(checkpoint)
        guard case let .missingTensor(file, tensor) = error else {
            Issue.record("expected missingTensor, got \(String(describing: error))")
            return
        }
        #expect(file.hasSuffix("model.safetensors"))
        #expect(tensor == "transformer." + name)
    }

    @Test(arguments: ["h.2.ln_1.weight", "transformer.h.0.attn.extra", "transformer.lm_head.weight", "score.weight"])
    func tensorThatIsNotPartOfGPT2IsUnexpected(name: String) {
        var checkpoint = TinyCheckpoint()
        checkpoint.extras = [.f32(name, [0, 0, 0, 0], shape: [4])]
        let error = loadError(checkpoint)
        guard case let .unexpectedTensor(_, tensor) = error else {
            Issue.record("expected unexpectedTensor, got \(String(describing: error))")
            return
        }
        #expect(tensor == name)
    }

    @Test func strayNameInTheOtherPrefixConventionIsUnexpected() {
        var checkpoint = TinyCheckpoint()
        checkpoint.prefixed = false
        checkpoint.extras = [.f32("transformer.wte.weight", [Float](repeating: 0, count: 40), shape: [10, 4])]
        let error = loadError(checkpoint)
        #expect(error?.kind == .unexpectedTensor)
        #expect(error?.description.contains("\"transformer.wte.weight\"") == true)
    }

    @Test func wrongShapeIsReportedWithBothShapes() throws {
        var checkpoint = TinyCheckpoint()
        checkpoint.replacements = ["h.0.attn.c_attn.weight": .f32("", [Float](repeating: 0, count: 24), shape: [4, 6])]
        let error = loadError(checkpoint)
        guard case let .shapeMismatch(file, tensor, expected, found) = error else {
            Issue.record("expected shapeMismatch, got \(String(describing: error))")
            return
        }
        #expect(tensor == "transformer.h.0.attn.c_attn.weight")
        #expect(expected == [4, 12])
        #expect(found == [4, 6])
        #expect(error?.description == "\(file): tensor \"transformer.h.0.attn.c_attn.weight\" has shape [4, 6], expected [4, 12]")
    }

    @Test func transposedMatrixIsAShapeMismatch() {
        var checkpoint = TinyCheckpoint()
        checkpoint.replacements = ["h.1.mlp.c_fc.weight": .f32("", [Float](repeating: 0, count: 64), shape: [16, 4])]
        #expect(loadError(checkpoint)?.kind == .shapeMismatch)
    }

    @Test func configDisagreeingWithTheCheckpointIsAShapeMismatchOrMissingTensor() {
        #expect(loadError(TinyCheckpoint(), configChanges: ["n_embd": "8"])?.kind == .shapeMismatch)
        #expect(loadError(TinyCheckpoint(), configChanges: ["vocab_size": "11"])?.kind == .shapeMismatch)
        let moreLayers = loadError(TinyCheckpoint(), configChanges: ["n_layer": "3"])
        #expect(moreLayers?.description.hasSuffix("tensor \"transformer.h.2.ln_1.weight\" is missing") == true)
        #expect(loadError(TinyCheckpoint(), configChanges: ["n_layer": "1"])?.kind == .unexpectedTensor)
    }

    @Test(arguments: ["I64", "U16", "F64"])
    func weightStoredInANonFloatDTypeIsRefused(dtype: String) {
        var checkpoint = TinyCheckpoint()
        let size = (SafetensorsDType(rawValue: dtype)?.bitSize ?? 0) / 8
        checkpoint.replacements = ["ln_f.bias": TestTensor(name: "", dtype: dtype, shape: [4], bytes: [UInt8](repeating: 0, count: 4 * size))]
        let error = loadError(checkpoint)
        guard case let .unsupportedDType(_, tensor, found) = error else {
            Issue.record("expected unsupportedDType, got \(String(describing: error))")
            return
        }
        #expect(tensor == "transformer.ln_f.bias")
        #expect(found == dtype)
    }

    @Test func mixedDTypesInOneCheckpointAreConverted() throws {
        var checkpoint = TinyCheckpoint()
        let values = TinyCheckpoint.values(of: .wpe)
        checkpoint.replacements = ["wpe.weight": .bf16("", bits: values.map { UInt16($0.bitPattern >> 16) }, shape: [6, 4])]
        expectEveryTensorInItsField(try load(checkpoint))
    }

    @Test func missingFilesAreUnreadableAndNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let noConfig = #expect(throws: ModelFileError.self) { try GPT2Weights.load(huggingFaceFolder: directory.url) }
        #expect(noConfig?.kind == .unreadable)
        #expect(noConfig?.description.contains("config.json") == true)

        try directory.write(TinyCheckpoint.configJSON(), to: "config.json")
        let noWeights = #expect(throws: ModelFileError.self) { try GPT2Weights.load(huggingFaceFolder: directory.url) }
        #expect(noWeights?.kind == .unreadable)
        #expect(noWeights?.description.contains("model.safetensors") == true)
    }

    @Test func programmaticConfigIsValidatedToo() throws {
        let file = try openSafetensors(TinyCheckpoint().safetensorsBytes())
        let bad = GPT2Config(nLayer: 2, nHead: 3, nEmbd: 4, nPositions: 6, vocabSize: 10)
        let error = #expect(throws: ModelFileError.self) { try GPT2Weights.load(config: bad, safetensors: file) }
        #expect(error?.kind == .invalidConfig)
        expectEveryTensorInItsField(try GPT2Weights.load(config: TinyCheckpoint.config, safetensors: file))
    }
}
