/// The GPT-2 tensors of a GGUF file, checked against the configuration: every tensor present with
/// the dimensions llama.cpp gives it and a type gpt2-tui can read, `output.weight` optional, and
/// nothing else in the file.
struct GGUFModelLayout {
    var config: GPT2Config
    var tensors: [GPT2TensorName: GGUFTensorInfo]
    /// `output.weight`, which files from older converters have.
    var output: GGUFTensorInfo?

    /// - Throws: `ModelFileError.missingTensor`, `.shapeMismatch` (ggml dimensions, ne0 first),
    ///   `.unsupportedTensorType` or `.unexpectedTensor`.
    init(gguf: GGUFFile, config: GPT2Config) throws {
        let file = gguf.path
        func check(_ info: GGUFTensorInfo, expected: [Int]) throws {
            guard info.dimensions == expected else {
                throw ModelFileError.shapeMismatch(file: file, tensor: info.name, expected: expected, found: info.dimensions)
            }
            guard info.type.isReadable else {
                throw ModelFileError.unsupportedTensorType(file: file, tensor: info.name, type: info.type.name)
            }
        }
        var tensors: [GPT2TensorName: GGUFTensorInfo] = [:]
        var known: Set<String> = [GGUFTensorNames.output]
        for tensor in GPT2TensorName.all(nLayer: config.nLayer) {
            let info = try gguf.requireTensor(GGUFTensorNames.name(of: tensor))
            try check(info, expected: GGUFTensorNames.dimensions(of: tensor, config: config))
            tensors[tensor] = info
            known.insert(info.name)
        }
        let output = gguf.tensor(named: GGUFTensorNames.output)
        if let output {
            try check(output, expected: GGUFTensorNames.outputDimensions(config: config))
        }
        if let extra = gguf.tensors.first(where: { !known.contains($0.name) }) {
            throw ModelFileError.unexpectedTensor(file: file, tensor: extra.name)
        }
        self.config = config
        self.tensors = tensors
        self.output = output
    }

    func info(_ tensor: GPT2TensorName) throws -> GGUFTensorInfo {
        guard let info = tensors[tensor] else {
            // Unreachable: init stores every tensor of the configuration.
            throw ModelFileError.missingTensor(file: "GGUF", tensor: GGUFTensorNames.name(of: tensor))
        }
        return info
    }
}
