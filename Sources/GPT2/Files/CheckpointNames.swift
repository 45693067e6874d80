/// The tensor names of a Hugging Face transformers GPT-2 checkpoint (`GPT2Model` or
/// `GPT2LMHeadModel`), mapped from GPT-2's own names. This is the only place that spells them.
///
/// `GPT2LMHeadModel` checkpoints put the body under `transformer.`; `GPT2Model` checkpoints
/// store it without a prefix. A file uses one or the other.
enum HuggingFaceTensorNames {
    /// The prefix of the model body in `GPT2LMHeadModel` checkpoints.
    static let bodyPrefix = "transformer."

    /// The language-model head. GPT-2 ties it to `wte`; a checkpoint may still store a copy.
    /// It is never prefixed.
    static let languageModelHead = "lm_head.weight"

    /// The name of `tensor`, without the body prefix.
    static func name(of tensor: GPT2TensorName) -> String {
        switch tensor {
        case .wte: return "wte.weight"
        case .wpe: return "wpe.weight"
        case .lnFWeight: return "ln_f.weight"
        case .lnFBias: return "ln_f.bias"
        case .layer(let index, let layerTensor):
            let block = "h.\(index)."
            switch layerTensor {
            case .ln1Weight: return block + "ln_1.weight"
            case .ln1Bias: return block + "ln_1.bias"
            case .attnCAttnWeight: return block + "attn.c_attn.weight"
            case .attnCAttnBias: return block + "attn.c_attn.bias"
            case .attnCProjWeight: return block + "attn.c_proj.weight"
            case .attnCProjBias: return block + "attn.c_proj.bias"
            case .ln2Weight: return block + "ln_2.weight"
            case .ln2Bias: return block + "ln_2.bias"
            case .mlpCFcWeight: return block + "mlp.c_fc.weight"
            case .mlpCFcBias: return block + "mlp.c_fc.bias"
            case .mlpCProjWeight: return block + "mlp.c_proj.weight"
            case .mlpCProjBias: return block + "mlp.c_proj.bias"
            }
        }
    }

    /// Buffers older checkpoints store in block `index` (the causal mask and its fill value).
    /// They are not weights and are ignored. Names are without the body prefix.
    static func ignoredBuffers(inLayer index: Int) -> [String] {
        ["h.\(index).attn.bias", "h.\(index).attn.masked_bias"]
    }
}
