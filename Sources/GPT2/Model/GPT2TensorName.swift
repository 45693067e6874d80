/// The tensors of one transformer block, in GPT-2's own names.
public enum GPT2LayerTensorName: String, Sendable, CaseIterable {
    case ln1Weight, ln1Bias
    case attnCAttnWeight, attnCAttnBias
    case attnCProjWeight, attnCProjBias
    case ln2Weight, ln2Bias
    case mlpCFcWeight, mlpCFcBias
    case mlpCProjWeight, mlpCProjBias
}

/// Every tensor of a GPT-2 model, in GPT-2's own names. File formats map these to their own
/// names in one table each (see `HuggingFaceTensorNames`).
public enum GPT2TensorName: Hashable, Sendable {
    case wte
    case wpe
    case layer(Int, GPT2LayerTensorName)
    case lnFWeight
    case lnFBias

    /// All tensors of a model with `nLayer` transformer blocks: embeddings, blocks in order, final norm.
    public static func all(nLayer: Int) -> [GPT2TensorName] {
        var names: [GPT2TensorName] = [.wte, .wpe]
        for index in 0..<max(nLayer, 0) {
            names += GPT2LayerTensorName.allCases.map { .layer(index, $0) }
        }
        names += [.lnFWeight, .lnFBias]
        return names
    }

    /// The shape `config` implies, in the Conv1D layout (in, out) for matrices.
    /// Expects a validated config (`GPT2Config.validate`), so that the products cannot overflow.
    public func shape(for config: GPT2Config) -> [Int] {
        let embd = config.nEmbd
        switch self {
        case .wte: return [config.vocabSize, embd]                 // (vocabSize, nEmbd)
        case .wpe: return [config.nPositions, embd]                // (nPositions, nEmbd)
        case .lnFWeight, .lnFBias: return [embd]                   // (nEmbd)
        case .layer(_, let tensor):
            switch tensor {
            case .ln1Weight, .ln1Bias, .ln2Weight, .ln2Bias: return [embd]  // (nEmbd)
            case .attnCAttnWeight: return [embd, 3 * embd]          // (nEmbd, 3*nEmbd)
            case .attnCAttnBias: return [3 * embd]                  // (3*nEmbd)
            case .attnCProjWeight: return [embd, embd]              // (nEmbd, nEmbd)
            case .attnCProjBias: return [embd]                      // (nEmbd)
            case .mlpCFcWeight: return [embd, 4 * embd]             // (nEmbd, 4*nEmbd)
            case .mlpCFcBias: return [4 * embd]                     // (4*nEmbd)
            case .mlpCProjWeight: return [4 * embd, embd]           // (4*nEmbd, nEmbd)
            case .mlpCProjBias: return [embd]                       // (nEmbd)
            }
        }
    }
}
