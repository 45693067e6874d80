/// The fp32 weights of one transformer block, in GPT-2's own names.
/// Matrices are row-major in transformers' Conv1D layout: (in, out), so `y = x · W + b`.
public struct GPT2LayerWeights: Sendable {
    public var ln1Weight: [Float]        // (nEmbd)
    public var ln1Bias: [Float]          // (nEmbd)
    public var attnCAttnWeight: [Float]  // (nEmbd, 3*nEmbd)  q | k | v along the output axis
    public var attnCAttnBias: [Float]    // (3*nEmbd)
    public var attnCProjWeight: [Float]  // (nEmbd, nEmbd)
    public var attnCProjBias: [Float]    // (nEmbd)
    public var ln2Weight: [Float]        // (nEmbd)
    public var ln2Bias: [Float]          // (nEmbd)
    public var mlpCFcWeight: [Float]     // (nEmbd, 4*nEmbd)
    public var mlpCFcBias: [Float]       // (4*nEmbd)
    public var mlpCProjWeight: [Float]   // (4*nEmbd, nEmbd)
    public var mlpCProjBias: [Float]     // (nEmbd)

    public init(
        ln1Weight: [Float], ln1Bias: [Float],
        attnCAttnWeight: [Float], attnCAttnBias: [Float],
        attnCProjWeight: [Float], attnCProjBias: [Float],
        ln2Weight: [Float], ln2Bias: [Float],
        mlpCFcWeight: [Float], mlpCFcBias: [Float],
        mlpCProjWeight: [Float], mlpCProjBias: [Float]
    ) {
        self.ln1Weight = ln1Weight
        self.ln1Bias = ln1Bias
        self.attnCAttnWeight = attnCAttnWeight
        self.attnCAttnBias = attnCAttnBias
        self.attnCProjWeight = attnCProjWeight
        self.attnCProjBias = attnCProjBias
        self.ln2Weight = ln2Weight
        self.ln2Bias = ln2Bias
        self.mlpCFcWeight = mlpCFcWeight
        self.mlpCFcBias = mlpCFcBias
        self.mlpCProjWeight = mlpCProjWeight
        self.mlpCProjBias = mlpCProjBias
    }
}

/// A whole GPT-2 model in fp32. The language-model head is tied to `wte`.
public struct GPT2Weights: Sendable {
    public var config: GPT2Config
    public var wte: [Float]              // (vocabSize, nEmbd)
    public var wpe: [Float]              // (nPositions, nEmbd)
    public var layers: [GPT2LayerWeights]
    public var lnFWeight: [Float]        // (nEmbd)
    public var lnFBias: [Float]          // (nEmbd)

    public init(config: GPT2Config, wte: [Float], wpe: [Float], layers: [GPT2LayerWeights], lnFWeight: [Float], lnFBias: [Float]) {
        self.config = config
        self.wte = wte
        self.wpe = wpe
        self.layers = layers
        self.lnFWeight = lnFWeight
        self.lnFBias = lnFBias
    }
}
