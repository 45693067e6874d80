extension QuantizedGPT2Weights {
    /// Quantizes fp32 weights for the int8 engine: each Conv1D matrix (in, out) is transposed to
    /// (out, in) and quantized row by row to Q8_0, the token embedding (vocabSize, nEmbd) likewise,
    /// and it doubles as the output head; vectors and the position embedding stay fp32. The blocks
    /// equal those llama.cpp's converter writes for the same weights.
    /// - Throws: `ModelFileError.invalidConfig` when `nEmbd` is not a multiple of 32, so that the
    ///   rows are not whole Q8_0 blocks.
    public init(quantizing weights: GPT2Weights) throws {
        let config = weights.config
        try Self.checkBlockRows(config, file: "GPT2Config")
        func matrix(_ values: [Float], _ tensor: GPT2TensorName) -> Q8Matrix {
            let shape = tensor.shape(for: config)  // (in, out)
            let transposed = transpose(values, rows: shape[0], columns: shape[1])
            return Q8Matrix(quantizing: transposed, rows: shape[1], columns: shape[0])
        }
        let layers = weights.layers.enumerated().map { index, layer in
            QuantizedLayerWeights(
                ln1Weight: layer.ln1Weight, ln1Bias: layer.ln1Bias,
                attnQKV: matrix(layer.attnCAttnWeight, .layer(index, .attnCAttnWeight)),
                attnQKVBias: layer.attnCAttnBias,
                attnOutput: matrix(layer.attnCProjWeight, .layer(index, .attnCProjWeight)),
                attnOutputBias: layer.attnCProjBias,
                ln2Weight: layer.ln2Weight, ln2Bias: layer.ln2Bias,
                ffnUp: matrix(layer.mlpCFcWeight, .layer(index, .mlpCFcWeight)),
                ffnUpBias: layer.mlpCFcBias,
                ffnDown: matrix(layer.mlpCProjWeight, .layer(index, .mlpCProjWeight)),
                ffnDownBias: layer.mlpCProjBias)
        }
        let embedding = Q8Matrix(quantizing: weights.wte, rows: config.vocabSize, columns: config.nEmbd)
        self.init(
            config: config, tokenEmbedding: embedding, positionEmbedding: weights.wpe, layers: layers,
            lnFWeight: weights.lnFWeight, lnFBias: weights.lnFBias, output: embedding)
    }

    /// Every matrix row of GPT-2 is nEmbd or 4 × nEmbd long; Q8_0 needs whole blocks of 32. The
    /// attention kernels take heads of at most `Q8Kernels.maximumHeadDim` dimensions.
    static func checkBlockRows(_ config: GPT2Config, file: String) throws {
        guard config.nEmbd % Q8_0.blockValues == 0 else {
            throw ModelFileError.invalidConfig(
                file: file, field: "n_embd",
                reason: "\(config.nEmbd) is not a multiple of 32, so the int8 engine's Q8_0 rows cannot hold it")
        }
        guard config.headDim <= Q8Kernels.maximumHeadDim else {
            throw ModelFileError.invalidConfig(
                file: file, field: "n_head",
                reason: "heads of \(config.headDim) dimensions are more than the int8 engine's \(Q8Kernels.maximumHeadDim)")
        }
    }
}
