import Foundation

extension QuantizedGPT2Weights {
    /// Loads the int8 engine's weights from the GPT-2 GGUF file at `url`.
    public static func load(ggufURL url: URL) throws -> QuantizedGPT2Weights {
        try load(gguf: GGUFFile(url: url))
    }

    /// The int8 engine's weights from a GPT-2 GGUF file. Q8_0 matrices are used in place: each
    /// `Q8Matrix` points into the memory map (at any alignment) and keeps the mapped file alive as
    /// its `owner`. F32 and F16 matrices are quantized to Q8_0 while loading. Vectors and the
    /// position embedding are read as fp32. The head is `output.weight` when the file has one,
    /// else the token embedding.
    /// - Throws: `ModelFileError` naming the file and the key or tensor at fault.
    public static func load(gguf: GGUFFile) throws -> QuantizedGPT2Weights {
        let layout = try GGUFModelLayout(gguf: gguf, config: GPT2Config.load(gguf: gguf))
        let config = layout.config
        try checkBlockRows(config, file: gguf.path)

        func matrix(_ info: GGUFTensorInfo) throws -> Q8Matrix {
            // ggml dimensions [columns, rows]: rows of ne0 values, as the engine wants them.
            let columns = info.dimensions[0], rows = info.dimensions[1]
            if info.type == .q8_0 {
                let bytes = try gguf.unsafeBytes(of: info)
                guard let start = bytes.baseAddress else {
                    throw ModelFileError.invalidTensorEntry(file: gguf.path, tensor: info.name, reason: "it has no data")
                }
                return Q8Matrix(rows: rows, columns: columns, bytes: start, owner: gguf.mappedFile)
            }
            return Q8Matrix(quantizing: try gguf.floats(of: info), rows: rows, columns: columns)
        }
        func vector(_ tensor: GPT2TensorName) throws -> [Float] {
            try gguf.floats(of: layout.info(tensor))
        }

        var layers: [QuantizedLayerWeights] = []
        layers.reserveCapacity(config.nLayer)
        for index in 0..<config.nLayer {
            func layerMatrix(_ name: GPT2LayerTensorName) throws -> Q8Matrix { try matrix(layout.info(.layer(index, name))) }
            func layerVector(_ name: GPT2LayerTensorName) throws -> [Float] { try vector(.layer(index, name)) }
            layers.append(QuantizedLayerWeights(
                ln1Weight: try layerVector(.ln1Weight), ln1Bias: try layerVector(.ln1Bias),
                attnQKV: try layerMatrix(.attnCAttnWeight), attnQKVBias: try layerVector(.attnCAttnBias),
                attnOutput: try layerMatrix(.attnCProjWeight), attnOutputBias: try layerVector(.attnCProjBias),
                ln2Weight: try layerVector(.ln2Weight), ln2Bias: try layerVector(.ln2Bias),
                ffnUp: try layerMatrix(.mlpCFcWeight), ffnUpBias: try layerVector(.mlpCFcBias),
                ffnDown: try layerMatrix(.mlpCProjWeight), ffnDownBias: try layerVector(.mlpCProjBias)))
        }
        let embedding = try matrix(layout.info(.wte))
        return QuantizedGPT2Weights(
            config: config, tokenEmbedding: embedding, positionEmbedding: try vector(.wpe), layers: layers,
            lnFWeight: try vector(.lnFWeight), lnFBias: try vector(.lnFBias),
            output: try layout.output.map(matrix) ?? embedding)
    }
}
