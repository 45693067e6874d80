import Foundation

/// Writes GPT-2 as GGUF, laid out as llama.cpp's `convert_hf_to_gguf.py` lays it out, so that
/// llama.cpp reads the files and, for a Hugging Face folder, the bytes equal the converter's
/// (given a folder without a model card, whose name becomes `general.name`).
///
/// From a Hugging Face folder: the converter's metadata in its order, the tensors in the order of
/// their checkpoint names, Conv1D matrices transposed to (out, in), each tensor of the type
/// `GGUFFileType.tensorType` gives. No `output.weight`: the head is tied to `token_embd`.
///
/// From a GGUF file (`gpt2-tui quantize` of a GGUF), as llama.cpp's `llama-quantize` does: the
/// metadata kept in order with `general.file_type` and `general.quantization_version` updated,
/// the tensors in their order, each converted to its new type (copied when the type is unchanged).
public enum GPT2GGUFConverter {
    /// Converts the Hugging Face GPT-2 folder `folder` to a GGUF file at `output`. `identifier`
    /// names the model in place of the folder's name (a hub cache snapshot is named by a commit).
    public static func convert(
        huggingFaceFolder folder: URL, to output: URL, fileType: GGUFFileType, identifier: String? = nil,
        progress: ((_ written: Int, _ total: Int) -> Void)? = nil
    ) throws {
        try writer(huggingFaceFolder: folder, fileType: fileType, identifier: identifier).write(to: output, progress: progress)
    }

    /// Converts the GPT-2 GGUF file `input` to a GGUF file of `fileType` at `output`.
    public static func convert(
        ggufURL input: URL, to output: URL, fileType: GGUFFileType,
        progress: ((_ written: Int, _ total: Int) -> Void)? = nil
    ) throws {
        try writer(gguf: GGUFFile(url: input), fileType: fileType).write(to: output, progress: progress)
    }

    /// The writer of a Hugging Face folder's GGUF, with everything checked and no tensor read yet.
    /// `general.name` comes from the folder's name, as the converter's fallback takes it.
    public static func writer(huggingFaceFolder folder: URL, fileType: GGUFFileType, identifier: String? = nil) throws -> GGUFWriter {
        let config = try GPT2Config.load(configURL: folder.appending(path: GPT2Weights.huggingFaceConfigFileName))
        let safetensors = try SafetensorsFile(url: folder.appending(path: GPT2Weights.huggingFaceWeightsFileName))
        let checkpointNames = try GPT2Weights.checkpointTensorNames(config: config, safetensors: safetensors)
        let vocabulary = try GGUFVocabulary(huggingFaceFolder: folder, config: config)
        let name = GGUFModelNaming.title(fromIdentifier: identifier ?? folder.standardizedFileURL.lastPathComponent)
        return try writer(config: config, name: name, vocabulary: vocabulary, fileType: fileType) { tensor in
            guard let checkpointName = checkpointNames[tensor] else {
                throw ModelFileError.missingTensor(file: safetensors.url.path, tensor: HuggingFaceTensorNames.name(of: tensor))
            }
            return try safetensors.floats(checkpointName)
        }
    }

    /// The writer of a model with `config`, whose tensor values (in `GPT2Weights`' layout, Conv1D
    /// matrices as (in, out)) `values` reads when the file is written.
    static func writer(
        config: GPT2Config, name: String, vocabulary: GGUFVocabulary, fileType: GGUFFileType,
        values: @escaping (GPT2TensorName) throws -> [Float]
    ) throws -> GGUFWriter {
        var writer = GGUFWriter()
        for tensor in GGUFTensorNames.converterOrder(nLayer: config.nLayer) {
            let tensorName = GGUFTensorNames.name(of: tensor)
            let dimensions = GGUFTensorNames.dimensions(of: tensor, config: config)
            let type = fileType.tensorType(name: tensorName, dimensions: dimensions)
            let shape = tensor.shape(for: config)
            let transposed = GGUFTensorNames.isTransposed(tensor)
            try writer.addTensor(name: tensorName, dimensions: dimensions, type: type) {
                var tensorValues = try values(tensor)
                if transposed {
                    // (in, out) → the (out, in) rows llama.cpp stores.
                    tensorValues = transpose(tensorValues, rows: shape[0], columns: shape[1])
                }
                return GGUFTensorEncoding.bytes(of: tensorValues, as: type)
            }
        }
        // The validated config keeps every size far inside Int and UInt32.
        let parameterCount = writer.tensors.reduce(0) { $0 + $1.dimensions.reduce(1, *) }

        var metadata = GGUFMetadata()
        metadata.append(GGUFKeys.architecture, .string(GGUFKeys.gpt2Architecture))
        metadata.append(GGUFKeys.type, .string("model"))
        // The gguf package leaves out empty strings and arrays.
        if !name.isEmpty { metadata.append(GGUFKeys.name, .string(name)) }
        metadata.append(GGUFKeys.sizeLabel, .string(GGUFModelNaming.sizeLabel(parameterCount: parameterCount)))
        metadata.append(GGUFKeys.blockCount, .uint32(UInt32(config.nLayer)))
        metadata.append(GGUFKeys.contextLength, .uint32(UInt32(config.nPositions)))
        metadata.append(GGUFKeys.embeddingLength, .uint32(UInt32(config.nEmbd)))
        metadata.append(GGUFKeys.feedForwardLength, .uint32(UInt32(4 * config.nEmbd)))
        metadata.append(GGUFKeys.headCount, .uint32(UInt32(config.nHead)))
        metadata.append(GGUFKeys.layerNormEpsilon, .float32(config.layerNormEpsilon))
        metadata.append(GGUFKeys.fileType, .uint32(fileType.fileTypeID))
        metadata.append(GGUFKeys.quantizationVersion, .uint32(GGUFKeys.currentQuantizationVersion))
        metadata.append(GGUFKeys.tokenizerModel, .string(GGUFKeys.gpt2TokenizerModel))
        metadata.append(GGUFKeys.tokenizerPre, .string(GGUFKeys.gpt2PreTokenizer))
        if !vocabulary.tokens.isEmpty {
            metadata.append(GGUFKeys.tokens, .array(.string(vocabulary.tokens)))
            metadata.append(GGUFKeys.tokenTypes, .array(.int32(vocabulary.tokenTypes)))
        }
        if !vocabulary.merges.isEmpty {
            metadata.append(GGUFKeys.merges, .array(.string(vocabulary.merges)))
        }
        for (key, id) in vocabulary.specialTokenIDs {
            metadata.append(key, .uint32(id))
        }
        writer.metadata = metadata
        return writer
    }

    /// The writer of a GGUF file's conversion, with the model checked and no tensor read yet.
    public static func writer(gguf: GGUFFile, fileType: GGUFFileType) throws -> GGUFWriter {
        let config = try GPT2Config.load(gguf: gguf)
        _ = try GPT2Tokenizer.load(gguf: gguf)
        _ = try GGUFModelLayout(gguf: gguf, config: config)

        var metadata = gguf.metadata
        metadata.set(GGUFKeys.fileType, .uint32(fileType.fileTypeID))
        metadata.set(GGUFKeys.quantizationVersion, .uint32(GGUFKeys.currentQuantizationVersion))
        var writer = GGUFWriter(metadata: metadata)
        for info in gguf.tensors {
            let type = fileType.tensorType(name: info.name, dimensions: info.dimensions)
            try writer.addTensor(name: info.name, dimensions: info.dimensions, type: type) {
                if info.type == type {
                    return try gguf.withBytes(of: info) { Array($0) }
                }
                return GGUFTensorEncoding.bytes(of: try gguf.floats(of: info), as: type)
            }
        }
        return writer
    }
}
