import Foundation

extension GPT2Weights {
    /// The files read from a Hugging Face model folder.
    public static let huggingFaceConfigFileName = "config.json"
    public static let huggingFaceWeightsFileName = "model.safetensors"

    /// Loads the fp32 weights of a Hugging Face GPT-2 folder: `config.json` and `model.safetensors`
    /// (F32, F16 or BF16 tensors, converted exactly to `Float`).
    /// - Throws: `ModelFileError` naming the file and the field or tensor at fault.
    public static func load(huggingFaceFolder folder: URL) throws -> GPT2Weights {
        let config = try GPT2Config.load(configURL: folder.appending(path: huggingFaceConfigFileName))
        let file = try SafetensorsFile(url: folder.appending(path: huggingFaceWeightsFileName))
        return try load(config: config, safetensors: file)
    }

    /// Loads the fp32 weights of a model with `config` from a transformers GPT-2 checkpoint.
    ///
    /// Tensor names may carry the `transformer.` prefix of `GPT2LMHeadModel` or not (`GPT2Model`);
    /// the file's own choice is detected. Every tensor must be present with the shape `config`
    /// implies, and nothing else may be in the file except:
    /// - `lm_head.weight`, which must have shape (vocabSize, nEmbd) but whose values are ignored:
    ///   GPT-2's head is tied to `wte`, and transformers likewise replaces it with `wte` on loading;
    /// - the `attn.bias` / `attn.masked_bias` buffers older checkpoints store in each block
    ///   (the causal mask), which are not weights.
    ///
    /// All names, shapes and dtypes are checked before any tensor is converted.
    /// - Throws: `ModelFileError.invalidConfig`, `.missingTensor`, `.shapeMismatch`,
    ///   `.unsupportedDType` or `.unexpectedTensor`.
    public static func load(config: GPT2Config, safetensors file: SafetensorsFile) throws -> GPT2Weights {
        let checkpointNames = try checkpointTensorNames(config: config, safetensors: file)
        return try GPT2Weights(config: config) { tensor in
            guard let name = checkpointNames[tensor] else {
                throw ModelFileError.missingTensor(file: file.url.path, tensor: HuggingFaceTensorNames.name(of: tensor))
            }
            return try file.floats(name)
        }
    }

    /// The name in `file` of every tensor of a model with `config`, after checking all names,
    /// shapes and dtypes as `load(config:safetensors:)` describes, without reading any tensor.
    static func checkpointTensorNames(config: GPT2Config, safetensors file: SafetensorsFile) throws -> [GPT2TensorName: String] {
        try config.validate(file: "GPT2Config")
        let path = file.url.path
        let names = HuggingFaceTensorNames.self
        let prefix = bodyPrefix(of: file.tensorNames)

        var checkpointNames: [GPT2TensorName: String] = [:]
        var allowed: Set<String> = []
        for tensor in GPT2TensorName.all(nLayer: config.nLayer) {
            let name = prefix + names.name(of: tensor)
            guard let info = file.info(name) else {
                throw ModelFileError.missingTensor(file: path, tensor: name)
            }
            let expected = tensor.shape(for: config)
            guard info.shape == expected else {
                throw ModelFileError.shapeMismatch(file: path, tensor: name, expected: expected, found: info.shape)
            }
            guard info.dtype.isReadableAsFloat else {
                throw ModelFileError.unsupportedDType(file: path, tensor: name, dtype: info.dtype.rawValue)
            }
            checkpointNames[tensor] = name
            allowed.insert(name)
        }

        if let head = file.info(names.languageModelHead) {
            let expected = GPT2TensorName.wte.shape(for: config)
            guard head.shape == expected else {
                throw ModelFileError.shapeMismatch(
                    file: path, tensor: names.languageModelHead, expected: expected, found: head.shape)
            }
            allowed.insert(names.languageModelHead)
        }
        for index in 0..<config.nLayer {
            for buffer in names.ignoredBuffers(inLayer: index) {
                allowed.insert(prefix + buffer)
            }
        }
        if let extra = file.tensorNames.first(where: { !allowed.contains($0) }) {
            throw ModelFileError.unexpectedTensor(file: path, tensor: extra)
        }
        return checkpointNames
    }

    /// `transformer.` if most body tensors carry it, else no prefix. (Deciding by majority makes a
    /// stray name in the other convention show up as unexpected, not every other name as missing.)
    private static func bodyPrefix(of tensorNames: [String]) -> String {
        let names = HuggingFaceTensorNames.self
        let body = tensorNames.filter { $0 != names.languageModelHead }
        let prefixed = body.count { $0.hasPrefix(names.bodyPrefix) }
        return prefixed * 2 > body.count ? names.bodyPrefix : ""
    }
}
