/// The tensor names of GPT-2 in GGUF files, mapped from GPT-2's own names, and how each tensor is
/// stored there. This is the only place that spells them (`HuggingFaceTensorNames` is the other table).
///
/// llama.cpp stores each of the four Conv1D weight matrices transposed, as (out, in) rows, so that
/// ggml's dimensions are [in, out]; the embeddings keep their (rows, nEmbd) layout, dimensions
/// [nEmbd, rows]. GPT-2's head is tied to the token embedding: the converter writes no
/// `output.weight`, but older converters did, so a reader accepts it and otherwise uses `token_embd`.
enum GGUFTensorNames {
    /// The language-model head, when a file has one.
    static let output = "output.weight"

    static func name(of tensor: GPT2TensorName) -> String {
        switch tensor {
        case .wte: return "token_embd.weight"
        case .wpe: return "position_embd.weight"
        case .lnFWeight: return "output_norm.weight"
        case .lnFBias: return "output_norm.bias"
        case .layer(let index, let layerTensor):
            let block = "blk.\(index)."
            switch layerTensor {
            case .ln1Weight: return block + "attn_norm.weight"
            case .ln1Bias: return block + "attn_norm.bias"
            case .attnCAttnWeight: return block + "attn_qkv.weight"
            case .attnCAttnBias: return block + "attn_qkv.bias"
            case .attnCProjWeight: return block + "attn_output.weight"
            case .attnCProjBias: return block + "attn_output.bias"
            case .ln2Weight: return block + "ffn_norm.weight"
            case .ln2Bias: return block + "ffn_norm.bias"
            case .mlpCFcWeight: return block + "ffn_up.weight"
            case .mlpCFcBias: return block + "ffn_up.bias"
            case .mlpCProjWeight: return block + "ffn_down.weight"
            case .mlpCProjBias: return block + "ffn_down.bias"
            }
        }
    }

    /// Whether the tensor is a Conv1D matrix, stored transposed relative to `GPT2Weights`.
    static func isTransposed(_ tensor: GPT2TensorName) -> Bool {
        guard case .layer(_, let layerTensor) = tensor else { return false }
        switch layerTensor {
        case .attnCAttnWeight, .attnCProjWeight, .mlpCFcWeight, .mlpCProjWeight: return true
        default: return false
        }
    }

    /// The ggml dimensions (ne0 first) of the tensor in a GGUF file of a model with `config`.
    /// For a Conv1D matrix of shape (in, out) the stored rows are (out, in), so ne = [in, out]: the
    /// same numbers. Every other tensor keeps its row-major shape, so ne is that shape reversed.
    static func dimensions(of tensor: GPT2TensorName, config: GPT2Config) -> [Int] {
        let shape = tensor.shape(for: config)
        return isTransposed(tensor) ? shape : shape.reversed()
    }

    /// The dimensions of `output.weight`: those of the token embedding.
    static func outputDimensions(config: GPT2Config) -> [Int] {
        dimensions(of: .wte, config: config)
    }

    /// The order in which llama.cpp's converter writes the tensors: sorted by their names in the
    /// Hugging Face checkpoint (so block 10 comes before block 2).
    static func converterOrder(nLayer: Int) -> [GPT2TensorName] {
        GPT2TensorName.all(nLayer: nLayer)
            .map { (tensor: $0, checkpointName: HuggingFaceTensorNames.name(of: $0)) }
            .sorted { Array($0.checkpointName.utf8).lexicographicallyPrecedes(Array($1.checkpointName.utf8)) }
            .map(\.tensor)
    }
}
