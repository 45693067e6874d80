extension GPT2Weights {
    /// Builds the weights of a model with `config` from a function that returns the elements of
    /// each tensor (already checked against `GPT2TensorName.shape(for:)` by the file reader).
    /// Every file format's loader ends here, so the struct is filled in one place.
    init(config: GPT2Config, reading tensor: (GPT2TensorName) throws -> [Float]) throws {
        var layers: [GPT2LayerWeights] = []
        layers.reserveCapacity(config.nLayer)
        for index in 0..<config.nLayer {
            func read(_ name: GPT2LayerTensorName) throws -> [Float] {
                try tensor(.layer(index, name))
            }
            layers.append(GPT2LayerWeights(
                ln1Weight: try read(.ln1Weight),
                ln1Bias: try read(.ln1Bias),
                attnCAttnWeight: try read(.attnCAttnWeight),
                attnCAttnBias: try read(.attnCAttnBias),
                attnCProjWeight: try read(.attnCProjWeight),
                attnCProjBias: try read(.attnCProjBias),
                ln2Weight: try read(.ln2Weight),
                ln2Bias: try read(.ln2Bias),
                mlpCFcWeight: try read(.mlpCFcWeight),
                mlpCFcBias: try read(.mlpCFcBias),
                mlpCProjWeight: try read(.mlpCProjWeight),
                mlpCProjBias: try read(.mlpCProjBias)
            ))
        }
        self.init(
            config: config,
            wte: try tensor(.wte),
            wpe: try tensor(.wpe),
            layers: layers,
            lnFWeight: try tensor(.lnFWeight),
            lnFBias: try tensor(.lnFBias)
        )
    }
}
